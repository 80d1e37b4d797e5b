export {
  configFilePath,
  configKeys,
  ConfigFileError,
  readConfigFile,
  saveServerLogin,
  updateConfigFile,
} from './config-file';
export type { ConfigKey, ServerLoginOutcome, StoredConfig } from './config-file';
