import { parseAppManagerConfig } from '@overcast/app-manager';
import { parseGatewayConfig, type GatewayEnvironment } from '@overcast/gateway-api';
import { parseImageInspectorConfig } from '@overcast/image-inspector';
import { parseBrokerConfig } from '@overcast/instance-broker';
import { parseRegistryConfig } from '@overcast/registry';

/** What each deployable service's main.ts parses its environment with, by service directory name. */
export const serviceConfigParsers: Record<string, (environment: Record<string, string>) => unknown> = {
  'gateway-api': (environment) => parseGatewayConfig(environment as GatewayEnvironment),
  'instance-broker': (environment) => parseBrokerConfig(environment),
  'app-manager': (environment) => parseAppManagerConfig(environment),
  'image-inspector': (environment) => parseImageInspectorConfig(environment),
  registry: (environment) => parseRegistryConfig(environment),
};

/** The services that seal secrets at rest and refuse to start without OVERCAST_ENCRYPTION_KEY. */
export const servicesSealingSecrets = ['instance-broker', 'app-manager', 'registry'];

/** The services the gateway asks for their status over the bus (GET /status): every one but itself. */
export const probedServices = Object.keys(serviceConfigParsers).filter((name) => name !== 'gateway-api');
