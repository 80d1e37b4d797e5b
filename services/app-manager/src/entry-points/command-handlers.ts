import type { appManagerCommands } from '@overcast/contracts';
import type { MessageHandlers, RetryPolicy } from '@overcast/messaging';
import type { DeployWorkflow } from '../domain/deploy-workflow';
import type { DistrictUseCases } from '../domain/district-use-cases';
import type { OneoffUseCases } from '../domain/oneoff-use-cases';

/**
 * The app manager's work queue; every job is safe to run again (see each use case). `retry` is the queue's policy:
 * a job whose attempt is its last (`maxAttempts`) is dead-lettered if it throws again.
 */
export function createCommandHandlers(
  workflow: DeployWorkflow,
  oneoffs: OneoffUseCases,
  districts: DistrictUseCases,
  retry: Pick<RetryPolicy, 'maxAttempts'>,
): MessageHandlers<typeof appManagerCommands> {
  return {
    // Every step's failure ends here: retried while attempts remain, and on the last one the deploy is failed rather
    // than left running behind a dead letter.
    'app.deploy.advance': async ({ deployId }, { attempt }) => {
      try {
        await workflow.advanceDeploy(deployId);
      } catch (error) {
        if (attempt < retry.maxAttempts) throw error;
        await workflow.failDeploy(deployId, error);
      }
    },
    'oneoff.start': ({ tenantId, oneoffId }) => oneoffs.startOneoffTask(tenantId, oneoffId),
    'app.remove': (job) => oneoffs.removeApp(job),
    'district.launch': (job) => districts.launchContainerInstances(job),
    'app.slack-notice': (notice) => oneoffs.sendSlackNotice(notice),
  };
}
