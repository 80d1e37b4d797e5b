export { createGatewayService } from './service';
export type { GatewayService, GatewayServiceDeps } from './service';
export { parseGatewayConfig } from './config';
export type { GatewayConfig } from './config';
export { createGitHubApi } from './data-access/github-api';
export type { GitHubApi } from './data-access/github-api';
export { createGatewayAdmin } from './admin/gateway-admin';
export type { GatewayAdmin } from './admin/gateway-admin';
export { migrationsDirectory } from './migrations-directory';
