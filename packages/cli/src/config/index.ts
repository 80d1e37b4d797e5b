export {
  configFilePath,
  configKeys,
  ConfigFileError,
  readConfigFile,
  saveServerLogin,
  updateConfigFile,
} from './config-file';
export type { ConfigKey, StoredConfig } from './config-file';
