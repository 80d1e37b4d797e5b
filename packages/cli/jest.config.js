const { createJestConfig } = require('../../jest.config.base.js');

const base = createJestConfig(__dirname);

module.exports = {
  ...base,
  // commander 15 ships ESM only; let swc turn it into CommonJS like the base config does for openapi-fetch.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(openapi-fetch|openapi-typescript-helpers|commander)[@/])'],
};
