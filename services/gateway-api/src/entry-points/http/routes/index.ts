import type { CreateToken } from '../../../domain/create-token';
import type { ListTokens } from '../../../domain/list-tokens';
import type { LoginWithGitHub } from '../../../domain/login-with-github';
import type { SharedRateLimiter } from '../../../domain/rate-limiter';
import type { RevokeToken } from '../../../domain/revoke-token';
import type { RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import type { VerifySnsMessage } from '../../../domain/verify-sns-message';
import { appRoutes } from './app-routes';
import { autoscalingGroupBuildRoutes } from './autoscaling-group-build-routes';
import { datacenterRoutes } from './datacenter-routes';
import { deploymentEventsRoute, type DeploymentEventsRouteDeps } from './deployment-events-route';
import { deploymentRoutes } from './deployment-routes';
import { districtRoutes } from './district-routes';
import { imageRoutes } from './image-routes';
import { initScriptRoutes } from './init-script-routes';
import { instanceBuildRoutes } from './instance-build-routes';
import { instanceLifecycleRoutes } from './instance-lifecycle-routes';
import { instanceRoutes } from './instance-routes';
import { loginRoutes } from './login-routes';
import { opsRoutes, type OpsRouteDeps } from './ops-routes';
import { quotaRoutes } from './quota-routes';
import { serverRoutes } from './server-routes';
import { snsMessageRoutes } from './sns-message-routes';
import { tokenRoutes } from './token-routes';
import { usageAccountRoutes } from './usage-account-routes';
import { usageInspectionRoutes } from './usage-inspection-routes';
import { usageInventoryRoutes } from './usage-inventory-routes';
import { usageReportRoutes } from './usage-report-routes';

export interface GatewayRouteDeps extends OpsRouteDeps, DeploymentEventsRouteDeps {
  requestShutdown: () => void;
  createToken: CreateToken;
  listTokens: ListTokens;
  revokeToken: RevokeToken;
  loginWithGitHub: LoginWithGitHub;
  call: RpcClient;
  publicUrl: () => string;
  limiter: SharedRateLimiter;
  authFailuresPerClient: number;
  verifySnsMessage: VerifySnsMessage;
}

/** Every route the gateway serves; each must be an operation of the OpenAPI spec. */
export function gatewayRoutes(deps: GatewayRouteDeps): RouteDefinition[] {
  return [
    ...opsRoutes(deps),
    ...serverRoutes(deps),
    ...loginRoutes(deps),
    ...tokenRoutes(deps),
    ...instanceRoutes(deps),
    ...instanceBuildRoutes(deps),
    ...initScriptRoutes(deps),
    ...instanceLifecycleRoutes(deps),
    ...autoscalingGroupBuildRoutes(deps),
    ...snsMessageRoutes(deps),
    ...imageRoutes(deps),
    ...quotaRoutes(deps),
    ...datacenterRoutes(deps),
    ...deploymentRoutes(deps),
    deploymentEventsRoute(deps),
    ...usageAccountRoutes(deps),
    ...usageInventoryRoutes(deps),
    ...usageInspectionRoutes(deps),
    ...usageReportRoutes(deps),
    ...districtRoutes(deps),
    ...appRoutes(deps),
  ];
}
