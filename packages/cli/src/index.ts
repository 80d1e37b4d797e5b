export { runCli } from './run-cli';
export { buildProgram } from './build-program';
export type { CliIo } from './cli-io';
export { exitCodes, UsageError, MissingTokenError } from './cli-io';
export { resolveSettings, defaultUrl } from './config/resolve-settings';
export type { Settings, SettingSource } from './config/resolve-settings';
export * from './config/index';
