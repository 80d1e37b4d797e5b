import type { appManagerCommands } from '@overcast/contracts';
import type { MessageHandlers } from '@overcast/messaging';
import type { DeployWorkflow } from '../domain/deploy-workflow';
import type { DistrictUseCases } from '../domain/district-use-cases';
import type { OneoffUseCases } from '../domain/oneoff-use-cases';

/** The app manager's work queue; every job is safe to run again (see each use case). */
export function createCommandHandlers(
  workflow: DeployWorkflow,
  oneoffs: OneoffUseCases,
  districts: DistrictUseCases,
): MessageHandlers<typeof appManagerCommands> {
  return {
    'app.deploy.advance': ({ deployId }) => workflow.advanceDeploy(deployId),
    'oneoff.start': ({ tenantId, oneoffId }) => oneoffs.startOneoffTask(tenantId, oneoffId),
    'app.remove': (job) => oneoffs.removeApp(job),
    'district.launch': (job) => districts.launchContainerInstances(job),
    'app.slack-notice': (notice) => oneoffs.sendSlackNotice(notice),
  };
}
