// One jest setup for every package: TypeScript through swc (type checks run separately with tsc).
const path = require('node:path');

/** @param {string} packageDir */
function createJestConfig(packageDir) {
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    // Resolve workspace packages that ship a build (the SDK) to their source, as tsconfig.base.json does.
    testEnvironmentOptions: { customExportConditions: ['@overcast/source', 'node', 'node-addons'] },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.(t|j)sx?$': [
        require.resolve('@swc/jest'),
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
          module: { type: 'commonjs' },
        },
      ],
    },
    // A few dependencies ship ESM only; let swc turn them into CommonJS too.
    transformIgnorePatterns: [
      '/node_modules/(?!(\\.pnpm/)?(openapi-fetch|openapi-typescript-helpers|commander|p-limit|yocto-queue|eventsource-parser)[@/])',
    ],
    setupFiles: [path.join(__dirname, 'jest.setup.js')],
    globalSetup: path.join(__dirname, 'packages/test-kit/src/global-setup.ts'),
    testTimeout: 30_000,
    // A handle a test forgot to close keeps jest alive after its summary; locally jest says so and waits, in CI it
    // says so and exits, so one leak cannot hold the whole run until its time limit with nothing reported.
    forceExit: process.env.CI === 'true',
  };
}

module.exports = { createJestConfig };
