import {
  ClientException,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSServiceException,
  RegisterTaskDefinitionCommand,
  type CreateServiceCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import { createAppRpc, createDistrictRpc, getAppRpc, listAppEventsRpc, setEnvVarsRpc } from '@overcast/contracts';
import { createMockedContainerPlatform } from '@overcast/providers/testing';
import { startWebhookRecorder, waitFor, type WebhookRecorder } from '@overcast/test-kit';
import { createAppManagerEnvironment, type AppManagerEnvironment } from './support/app-manager-environment';

const tenantId = 'tenant-provider-errors';
const aws = createMockedContainerPlatform();
let env: AppManagerEnvironment;
let slack: WebhookRecorder;
/** The replica's JOB_MAX_ATTEMPTS (retries 10 ms apart): a job's third failure is its last. */
const jobMaxAttempts = 3;

/**
 * ECS as aws-sdk-client-mock answers it: CreateCluster and RegisterTaskDefinition succeed; a service exists once a
 * CreateService succeeded, running its desired count at once; `createService` decides each CreateService's answer.
 */
function answerEcs(createService: (attempt: number) => Error | undefined) {
  aws.mocks.ecs.reset();
  const services = new Map<string, Service>();
  aws.mocks.ecs.on(CreateClusterCommand).resolves({ cluster: { clusterName: 'bcn', status: 'ACTIVE' } });
  aws.mocks.ecs.on(RegisterTaskDefinitionCommand).callsFake((input: { family: string }) => ({
    taskDefinition: { family: input.family, revision: 1, taskDefinitionArn: `arn:task-definition/${input.family}:1` },
  }));
  aws.mocks.ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { containerDefinitions: [] } });
  aws.mocks.ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
    services: input.services.flatMap((name) => services.get(name) ?? []),
    failures: [],
  }));
  let attempts = 0;
  aws.mocks.ecs.on(CreateServiceCommand).callsFake((input: CreateServiceCommandInput) => {
    attempts += 1;
    const refusal = createService(attempts);
    if (refusal) throw refusal;
    const service: Service = {
      serviceName: input.serviceName,
      serviceArn: `arn:service/${input.serviceName}`,
      status: 'ACTIVE',
      desiredCount: input.desiredCount,
      runningCount: input.desiredCount,
      taskDefinition: input.taskDefinition,
      deployments: [
        { status: 'PRIMARY', taskDefinition: input.taskDefinition, desiredCount: 1, runningCount: input.desiredCount },
      ],
    };
    services.set(input.serviceName ?? '', service);
    return { service };
  });
}

beforeAll(async () => {
  slack = await startWebhookRecorder();
  answerEcs(() => undefined);
  env = await createAppManagerEnvironment({ platforms: [aws.platform] });
  // The deploy timeout stays Barcelona's ≈1000 s: a deploy that ends within the test's wait did not time out.
  await env.startReplica({ config: { JOB_MAX_ATTEMPTS: String(jobMaxAttempts), JOB_RETRY_BASE_MS: '10' } });
  await env.client.call(createDistrictRpc, {
    tenantId,
    name: 'bcn',
    provider: 'aws',
    region: 'ap-northeast-1',
    vpc_id: 'vpc-11111111',
    private_hosted_zone_id: 'Z1234567890',
    ecs_service_role: 'ecs-service-role',
    aws_access_key_id: 'AKIDTEST',
    aws_secret_access_key: 'test',
  });
});
afterAll(async () => {
  await env?.close();
  await slack?.close();
});

const throttling = () =>
  new ECSServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });

function createWorkerApp(name: string) {
  return env.client.call(createAppRpc, {
    tenantId,
    district: 'bcn',
    name,
    image_name: 'nginx',
    slack_url: slack.url,
    services: [{ name: 'worker', command: 'sidekiq' }],
  });
}

async function finishedDeploy(app: string) {
  return waitFor(`the deploy of ${app} to finish`, async () => {
    const shown = await env.client.call(getAppRpc, { tenantId, app });
    return shown.deploy_state === 'running' ? undefined : shown;
  });
}

describe('a deploy on aws and the errors its provider answers', () => {
  it('fails at once, retrying nothing, when ECS refuses CreateService with a ClientException', async () => {
    const refusal = 'Unable to assume role and validate the specified targetGroupArn';
    answerEcs(() => new ClientException({ message: `${refusal}.`, $metadata: { httpStatusCode: 400 } }));

    await createWorkerApp('refused');

    expect((await finishedDeploy('refused')).deploy_state).toBe('failed');
    const message = `Deploying worker(nginx:latest) failed: ECS CreateService failed: ClientException: ${refusal}. Stopped deploying.`;
    const { events } = await env.client.call(listAppEventsRpc, { tenantId, app: 'refused' });
    expect(events[0]).toMatchObject({ level: 'error', message });
    const notice = await waitFor('the Slack notice of the failure', () =>
      slack.received.find((body) => JSON.stringify(body).includes(`[refused] ${message}`)),
    );
    expect(notice).toEqual({ attachments: [{ color: 'danger', text: `[refused] ${message}` }] });
    expect(aws.mocks.ecs.commandCalls(CreateServiceCommand)).toHaveLength(1);
  });

  it('retries a throttled CreateService with backoff and deploys when its last attempt succeeds', async () => {
    answerEcs((attempt) => (attempt < jobMaxAttempts ? throttling() : undefined));

    await createWorkerApp('throttled');

    expect((await finishedDeploy('throttled')).deploy_state).toBe('done');
    expect(aws.mocks.ecs.commandCalls(CreateServiceCommand)).toHaveLength(jobMaxAttempts);
    const { events } = await env.client.call(listAppEventsRpc, { tenantId, app: 'throttled' });
    expect(events.map((event) => event.message)).toEqual([
      'worker(nginx:latest) deployed',
      'Deploying throttled(nginx:latest) to bcn district...',
    ]);
  });

  it('fails the deploy with the last error once a CreateService throttled on every attempt is given up', async () => {
    answerEcs(() => throttling());

    await createWorkerApp('exhausted');

    expect((await finishedDeploy('exhausted')).deploy_state).toBe('failed');
    expect(aws.mocks.ecs.commandCalls(CreateServiceCommand)).toHaveLength(jobMaxAttempts);
    const message =
      'Deploying worker(nginx:latest) failed: ECS CreateService failed: ThrottlingException: Rate exceeded. Stopped deploying.';
    const { events } = await env.client.call(listAppEventsRpc, { tenantId, app: 'exhausted' });
    expect(events.map((event) => [event.level, event.message])).toEqual([
      ['error', message],
      ['good', 'Deploying exhausted(nginx:latest) to bcn district...'],
    ]);
    const notice = await waitFor('the Slack notice of the failure', () =>
      slack.received.find((body) => JSON.stringify(body).includes(`[exhausted] ${message}`)),
    );
    expect(notice).toEqual({ attachments: [{ color: 'danger', text: `[exhausted] ${message}` }] });

    // The app's next release deploys once ECS answers again.
    answerEcs(() => undefined);
    const next = await env.client.call(setEnvVarsRpc, { tenantId, app: 'exhausted', env_vars: { GREETING: 'hi' } });
    expect(next.release).toBe(2);
    expect(await finishedDeploy('exhausted')).toMatchObject({ release: 2, deploy_state: 'done' });
  });
});
