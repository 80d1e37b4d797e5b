import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { createAwsComputeProvider } from './aws-compute-provider';
import { mapEc2State } from './ec2-instance-mapping';
import { createMockedEc2, ec2Error, ec2Instance, overcastId } from './testing/ec2-test-support';

describe('aws getInstance and listInstances', () => {
  it('finds an instance by its overcast-id tag and maps state, address and tags', async () => {
    const { client, mock, sent } = createMockedEc2();
    mock
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ ReservationId: 'r-1', Instances: [ec2Instance()] }] });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    const instance = await provider.getInstance(overcastId);

    expect(sent()).toEqual([
      {
        command: 'DescribeInstancesCommand',
        input: { Filters: [{ Name: 'tag:overcast-id', Values: [overcastId] }], MaxResults: 1000 },
      },
    ]);
    expect(instance).toEqual({
      id: overcastId,
      upstreamId: 'i-0abcd1234ef567890',
      state: 'running',
      ipAddress: '203.0.113.175',
      tags: { Name: `overcast-${overcastId}`, 'overcast-id': overcastId, role: 'worker' },
      createdAt: new Date('2026-11-02T10:00:00.000Z'),
    });
  });

  it('answers null when no instance carries the id', async () => {
    const { client, mock } = createMockedEc2();
    mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    expect(await provider.getInstance(overcastId)).toBeNull();
  });

  it('prefers the live instance over a terminated one with the same id', async () => {
    const { client, mock } = createMockedEc2();
    mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            ec2Instance({
              InstanceId: 'i-new-but-dead',
              State: { Code: 48, Name: 'terminated' },
              LaunchTime: new Date('2026-11-03'),
            }),
          ],
        },
        { Instances: [ec2Instance({ InstanceId: 'i-live', State: { Code: 0, Name: 'pending' } })] },
      ],
    });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    expect(await provider.getInstance(overcastId)).toMatchObject({ upstreamId: 'i-live', state: 'starting' });
  });

  it('reports the private address when configured to', async () => {
    const { client, mock } = createMockedEc2();
    mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [ec2Instance()] }] });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client, usePrivateIp: true });

    expect((await provider.getInstance(overcastId))?.ipAddress).toBe('10.0.1.17');
  });

  it('lists every Overcast-tagged instance across pages and skips untagged ones', async () => {
    const { client, mock, sent } = createMockedEc2();
    mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [
          { Instances: [ec2Instance({ InstanceId: 'i-1' }), ec2Instance({ InstanceId: 'i-untagged', Tags: [] })] },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Reservations: [
          {
            Instances: [
              ec2Instance({
                InstanceId: 'i-2',
                State: { Code: 80, Name: 'stopped' },
                Tags: [{ Key: 'overcast-id', Value: 'other-id' }],
              }),
            ],
          },
        ],
      });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    const instances = await provider.listInstances();

    expect(sent()).toEqual([
      {
        command: 'DescribeInstancesCommand',
        input: { Filters: [{ Name: 'tag-key', Values: ['overcast-id'] }], MaxResults: 1000 },
      },
      {
        command: 'DescribeInstancesCommand',
        input: { Filters: [{ Name: 'tag-key', Values: ['overcast-id'] }], MaxResults: 1000, NextToken: 'page-2' },
      },
    ]);
    expect(instances.map((instance) => [instance.upstreamId, instance.id, instance.state])).toEqual([
      ['i-1', overcastId, 'running'],
      ['i-2', 'other-id', 'terminated'],
    ]);
  });

  it('reports a throttled describe as retryable', async () => {
    const { client, mock } = createMockedEc2();
    mock.on(DescribeInstancesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    await expect(provider.listInstances()).rejects.toMatchObject({ name: 'ProviderError', retryable: true });
  });

  it.each([
    ['pending', 'starting'],
    ['running', 'running'],
    ['shutting-down', 'terminating'],
    ['stopping', 'terminating'],
    ['stopped', 'terminated'],
    ['terminated', 'terminated'],
  ])('maps EC2 state %s to %s', (ec2State, state) => {
    expect(mapEc2State(ec2State)).toBe(state);
  });
});
