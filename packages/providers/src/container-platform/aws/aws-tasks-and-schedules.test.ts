import { DescribeClustersCommand, DescribeTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridgeScheduleOf } from './aws-schedules';
import { createMockedContainerPlatform } from './testing/aws-container-mocks';

const oneoffDefinition = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/nginx-oneoff:2';

describe('aws one-off tasks', () => {
  it('runs the oneoff family with the command split on spaces, env overrides and the client token', async () => {
    const { cluster, mocks, sent } = createMockedContainerPlatform();
    mocks.ecs
      .on(RunTaskCommand)
      .resolves({ tasks: [{ taskArn: 'arn', lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING' }] });

    const task = await cluster.runTask({
      app: 'nginx',
      taskDefinition: oneoffDefinition,
      command: 'rake db:migrate',
      env: { VERBOSE: '1' },
      clientToken: 'oneoff-5',
    });

    expect(task).toEqual({ id: 'arn', status: 'PENDING', exitCode: null, reason: null, output: null });
    expect(sent()).toEqual([
      {
        command: 'RunTask',
        input: {
          cluster: 'default',
          taskDefinition: oneoffDefinition,
          count: 1,
          startedBy: 'nginx',
          clientToken: 'oneoff-5',
          overrides: {
            containerOverrides: [
              { name: 'oneoff', command: ['rake', 'db:migrate'], environment: [{ name: 'VERBOSE', value: '1' }] },
            ],
          },
        },
      },
    ]);
  });

  it("reads a stopped task's exit code and reason", async () => {
    const { cluster, mocks } = createMockedContainerPlatform();
    mocks.ecs.on(DescribeTasksCommand).resolves({
      tasks: [{ taskArn: 'arn', lastStatus: 'STOPPED', containers: [{ exitCode: 1, reason: 'OutOfMemoryError' }] }],
    });

    expect(await cluster.describeTask('arn')).toEqual({
      id: 'arn',
      status: 'STOPPED',
      exitCode: 1,
      reason: 'OutOfMemoryError',
      output: null,
    });
  });

  it('reports a task ECS could not place as a retryable failure naming the reason', async () => {
    const { cluster, mocks } = createMockedContainerPlatform();
    mocks.ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ reason: 'RESOURCE:MEMORY' }] });

    await expect(
      cluster.runTask({ app: 'nginx', taskDefinition: oneoffDefinition, clientToken: 't' }),
    ).rejects.toMatchObject({ retryable: true, code: 'RESOURCE:MEMORY' });
  });
});

describe('aws cron schedules', () => {
  it('puts an EventBridge rule running the task definition on the cluster', async () => {
    const { cluster, mocks, sent } = createMockedContainerPlatform();
    mocks.ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterArn: 'arn:cluster/default' }] });
    mocks.events.on(PutRuleCommand).resolves({ RuleArn: 'arn:rule' });
    mocks.events.on(PutTargetsCommand).resolves({ FailedEntryCount: 0 });

    const schedule = await cluster.scheduleTask({
      app: 'nginx',
      service: 'cron',
      schedule: '*/5 * * * *',
      taskDefinition: 'arn:task-definition/nginx-cron:1',
      command: 'rake cleanup',
    });

    expect(schedule).toEqual({ name: 'nginx-cron', triggeredBy: 'provider' });
    expect(sent().slice(1)).toEqual([
      {
        command: 'PutRule',
        input: { Name: 'nginx-cron', ScheduleExpression: 'cron(0/5 * * * ? *)', State: 'ENABLED' },
      },
      {
        command: 'PutTargets',
        input: {
          Rule: 'nginx-cron',
          Targets: [
            {
              Id: 'nginx-cron',
              Arn: 'arn:cluster/default',
              RoleArn: 'ecs-service-role',
              EcsParameters: { TaskDefinitionArn: 'arn:task-definition/nginx-cron:1', TaskCount: 1 },
              Input: JSON.stringify({ containerOverrides: [{ name: 'cron', command: ['rake', 'cleanup'] }] }),
            },
          ],
        },
      },
    ]);
  });

  it.each([
    ['0 3 * * 1-5', 'cron(0 3 ? * 2-6 *)'],
    ['cron(0 3 ? * MON-FRI *)', 'cron(0 3 ? * 2-6 *)'],
    ['rate(1 minute)', 'rate(1 minute)'],
  ])('writes %s as EventBridge %s (every form the app manager accepts)', (schedule, expected) => {
    expect(eventBridgeScheduleOf(schedule)).toBe(expected);
  });

  it('refuses a schedule it cannot read, as a deploy error that is not retried', () => {
    expect(() => eventBridgeScheduleOf('0 * * * * *')).toThrow(
      expect.objectContaining({ code: 'INVALID_SCHEDULE', retryable: false }),
    );
  });
});
