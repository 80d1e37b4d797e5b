// One lint setup for the whole monorepo; type-aware so un-awaited promises are caught.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettierConfig from 'eslint-config-prettier';

const namedExportsOnly = { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' };

// Each service reads its environment once, in config.ts, through one zod schema (defaults written once, every
// bad variable named at start); everything else is handed its settings.
const environmentInConfigOnly = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Read the environment only in a config.ts (one zod schema per service) and pass the values in.',
};

// A thrown error goes into a log line as `err`, which pino's serializer expands (type, message, stack, cause, code);
// a description that is not an error (a refusal, a validation failure) goes in as `reason`. One field, not five.
const logMethod = '[callee.property.name=/^(trace|debug|info|warn|error|fatal)$/]';
const errorsLoggedAsErr = [
  {
    selector: `CallExpression${logMethod} > ObjectExpression > Property[key.name='error']`,
    message: "Log a thrown error as `err: error` (pino's serializer), a description as `reason`.",
  },
  {
    selector: `CallExpression${logMethod} CallExpression[callee.name='describeError']`,
    message: "Log the error itself as `err: error`: pino's serializer keeps its type, stack and cause.",
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/generated/**',
      '**/dist/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      '.overcast/**',
      '**/prisma.config.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Layout is Prettier's (pnpm format); this turns off the lint rules that would argue with it.
  prettierConfig,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', namedExportsOnly, environmentInConfigOnly, ...errorsLoggedAsErr],
    },
  },
  {
    // The domain names the ports it needs (domain/ports.ts): data-access/ implements them and entry-points/ call the
    // use cases, so a use case imports neither, nor the types of a transport or of a database client.
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/data-access',
                '**/data-access/**',
                '**/entry-points',
                '**/entry-points/**',
                '**/generated/**',
              ],
              message: 'The domain declares what it needs in domain/ports.ts; data-access implements it.',
            },
            { group: ['express', 'amqplib'], message: 'Use cases never see requests, responses or channels.' },
          ],
        },
      ],
    },
  },
  {
    // Where reading process.env is the point, not configuration of a service:
    files: [
      // the config files themselves, and service-kit's parser whose default source is process.env;
      '**/src/config.ts',
      'packages/service-kit/src/config/parse-config.ts',
      // the CLI's bin hands its environment (OVERCAST_URL, OVERCAST_TOKEN) to runCli, which tests call with their own;
      'packages/cli/src/main.ts',
      // a local instance's first process, which runs alone under type stripping (only node: imports, no zod);
      'packages/providers/src/local/boot-agent.mts',
      // the local catalog's sample image, which reads its task's environment (PORT, GREETING) alone the same way;
      'packages/providers/src/container-platform/local/hello-web.mts',
      // child processes inherit the environment (PATH, locale) of whoever started them;
      'packages/db/src/embedded/server-process.ts',
      'packages/db/src/embedded/initialise-cluster.ts',
      'packages/providers/src/local/instance-environment.ts',
      'packages/providers/src/container-platform/local/task-process.ts',
      // test setup: the run's probe of Postgres/RabbitMQ and the URLs CI points tests at;
      'packages/test-kit/src/**',
      // tests start processes with an environment, set debugging switches, and test the logger's LOG_LEVEL;
      '**/test/**',
      '**/*.test.ts',
      // benchmark scripts take their knobs (rounds, rates, CPU profiles) from the environment of one run.
      'bench/**',
    ],
    rules: { 'no-restricted-syntax': ['error', namedExportsOnly, ...errorsLoggedAsErr] },
  },
);
