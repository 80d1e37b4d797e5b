import type { GetInitScriptRequest, InitScript } from '@overcast/contracts';
import { findBuildForCaller } from './build-caller';
import { renderInitScript, type InitScriptTemplate } from './init-script';
import { notFound } from './not-found';
import type { BrokerStore, Clock } from './ports';

/**
 * Token callers see their tenant's builds (the stored script, its URLs without credentials); a booting instance
 * proves itself with the build's secret and gets the script rendered with it, so its callbacks (pudding's
 * `{{ .InstanceLaunchURL }}`…) carry `x:<secret>`. A script not rendered yet is `not_found` like an unknown build.
 */
export function createGetInitScript(deps: {
  store: BrokerStore;
  clock: Clock;
  initScriptTemplate: InitScriptTemplate;
}) {
  return async function getInitScript(request: GetInitScriptRequest): Promise<InitScript> {
    const { build, secret } = await findBuildForCaller(deps, request);
    if (build.initScript === null) throw notFound('instance build');
    if (secret === null) return { script: build.initScript };
    return { script: renderInitScript(deps.initScriptTemplate, build, build.image, secret) };
  };
}
