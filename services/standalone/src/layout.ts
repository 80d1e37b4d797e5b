import path from 'node:path';

/** Where the standalone keeps things, shared by `pnpm start` and `pnpm overcast-admin`. */
export const postgresDataDir = (dataDir: string): string => path.join(dataDir, 'pgdata');
export const gatewaySchema = 'gateway_api';
export const instanceBrokerSchema = 'instance_broker';
export const registrySchema = 'registry';
export const imageInspectorSchema = 'image_inspector';
export const appManagerSchema = 'app_manager';
