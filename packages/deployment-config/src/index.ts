export type { ConfigError } from './config-error';
export type { DeploymentConfigLimits } from './limits';
export { defaultLimits } from './limits';
export type {
  DeploymentConfigParser,
  InlineIncludesResult,
  ParseDeploymentConfigOptions,
  ParseDeploymentConfigResult,
} from './parse-deployment-config';
export { createDeploymentConfigParser, parseDeploymentConfig } from './parse-deployment-config';
export type { DeploymentConfig } from './schema/overcast-file';
export { OvercastFile, supportedVersion } from './schema/overcast-file';
export { DeploymentEvent } from './schema/notifications';
export { defaultProtocol, Protocol } from './schema/services';
export type { IncludeLoader, IncludeLoaderOptions } from './includes/include-loader';
export { createIncludeLoader } from './includes/include-loader';
export type { IncludeLocation } from './includes/locate-include';
export type { HttpsFetchLimits, HttpsRequest } from './includes/fetch-https';
export { addressRefused, requestHttps } from './includes/fetch-https';
export { isAddressAllowed } from './includes/address-policy';
export type { AddressPolicy } from './includes/address-policy';
