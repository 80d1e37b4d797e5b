import { DeleteKeyPairCommand, DescribeInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { createAwsComputeProvider } from './aws-compute-provider';
import { createMockedEc2, ec2Error, ec2Instance, overcastId } from './testing/ec2-test-support';

function describing(...instances: ReturnType<typeof ec2Instance>[]) {
  const { client, mock, sent } = createMockedEc2();
  mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ ReservationId: 'r-1', Instances: instances }] });
  mock.on(TerminateInstancesCommand).resolves({
    TerminatingInstances: [{ InstanceId: 'i-0abcd1234ef567890', CurrentState: { Code: 32, Name: 'shutting-down' } }],
  });
  mock.on(DeleteKeyPairCommand).resolves({ Return: true });
  return { provider: createAwsComputeProvider({ region: 'eu-west-1', client }), mock, sent };
}

describe('aws terminateInstance', () => {
  it('finds the instance by tag and terminates it by its EC2 id', async () => {
    const { provider, sent } = describing(ec2Instance());

    await provider.terminateInstance(overcastId);

    expect(sent()).toEqual([
      {
        command: 'DescribeInstancesCommand',
        input: { Filters: [{ Name: 'tag:overcast-id', Values: [overcastId] }], MaxResults: 1000 },
      },
      { command: 'TerminateInstancesCommand', input: { InstanceIds: ['i-0abcd1234ef567890'] } },
    ]);
  });

  it('terminates a stopped instance too (it still exists and is billed)', async () => {
    const { provider, mock } = describing(ec2Instance({ State: { Code: 80, Name: 'stopped' } }));

    await provider.terminateInstance(overcastId);

    expect(mock.commandCalls(TerminateInstancesCommand)).toHaveLength(1);
  });

  it.each(['terminated', 'shutting-down'] as const)('sends nothing for an instance already %s', async (state) => {
    const { provider, mock } = describing(ec2Instance({ State: { Code: 48, Name: state } }));

    await provider.terminateInstance(overcastId);

    expect(mock.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
  });

  it('succeeds when no instance carries the id', async () => {
    const { provider, mock } = describing();

    await expect(provider.terminateInstance(overcastId)).resolves.toBeUndefined();
    expect(mock.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
  });

  it('treats InvalidInstanceID.NotFound from TerminateInstances as success', async () => {
    const { provider, mock } = describing(ec2Instance());
    mock.on(TerminateInstancesCommand).rejects(ec2Error('InvalidInstanceID.NotFound'));

    await expect(provider.terminateInstance(overcastId)).resolves.toBeUndefined();
  });

  it('deletes the per-instance key pair it imported', async () => {
    const { provider, sent } = describing(ec2Instance({ KeyName: `overcast-${overcastId}` }));

    await provider.terminateInstance(overcastId);

    expect(sent().map((call) => call.command)).toEqual([
      'DescribeInstancesCommand',
      'TerminateInstancesCommand',
      'DeleteKeyPairCommand',
    ]);
    expect(sent()[2]?.input).toEqual({ KeyName: `overcast-${overcastId}` });
  });

  it('reports other TerminateInstances failures with their retryability', async () => {
    const { provider, mock } = describing(ec2Instance());
    mock.on(TerminateInstancesCommand).rejects(ec2Error('UnauthorizedOperation', 403));

    await expect(provider.terminateInstance(overcastId)).rejects.toMatchObject({
      retryable: false,
      code: 'UnauthorizedOperation',
    });
  });
});
