import { isProviderError } from '@overcast/providers';
import type { DeployStep } from './deploy-steps';
import type { StepCompletion } from './ports';
import { imagePath, type DeployRecord } from './records';

/** The step as its error event names it, in Barcelona's words: "Deploying web(nginx:latest)". */
function stepSubject(deploy: DeployRecord, step: DeployStep): string {
  const image = imagePath(deploy.release.spec);
  switch (step.kind) {
    case 'begin':
      return `Deploying ${deploy.appName}(${image}) to ${deploy.district.name} district`;
    case 'before_deploy':
      return `The command \`${step.command}\``;
    case 'service':
      return `Deploying ${step.service}(${image})`;
    case 'monitor': {
      const services = deploy.release.spec.services.filter((service) => !service.schedule);
      return `Deploying ${services.map((service) => service.name).join(', ')}(${image})`;
    }
  }
}

/** The deploy ended at `step` by `error`: failed, with an error event naming the step and the error's message. */
export function failedStepCompletion(deploy: DeployRecord, step: DeployStep, error: unknown): StepCompletion {
  const reason = (error instanceof Error ? error.message : String(error)).replace(/\.+$/, '');
  return {
    events: [{ level: 'error', message: `${stepSubject(deploy, step)} failed: ${reason}. Stopped deploying.` }],
    finish: 'failed',
  };
}

/**
 * A step's failure that no retry can change ends the deploy at once: a ProviderError its provider says is not
 * retryable (on aws a client error, say a ValidationError, InvalidParameterException, ClientException or
 * AccessDenied…; on local an image its catalog cannot run, a balancer address held by processes it does not run).
 * The deploy is `failed` with an error event naming the step, its service and the provider's message (a Slack
 * `danger` notice when the app has a URL). Any other failure is thrown again, so the job is retried with backoff as
 * before: throttling, a provider's 5xx, the network, a database that is down; its last attempt fails the deploy
 * the same way (the workflow's failDeploy).
 */
export function refusedStepCompletion(deploy: DeployRecord, step: DeployStep, error: unknown): StepCompletion {
  if (!isProviderError(error) || error.retryable) throw error;
  return failedStepCompletion(deploy, step, error);
}
