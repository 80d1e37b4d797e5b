import { DescribeInstancesCommand, EC2ServiceException, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { ProviderError } from '../core/compute';
import { createAwsComputeProvider } from './aws-compute-provider';
import { createMockedEc2, ec2Error, ec2Instance, overcastId } from './testing/ec2-test-support';

const userData = `#include https://x:secret@overcast.example/init-scripts/build-1\n`;

describe('aws createInstance', () => {
  it('launches one instance with the Overcast id as ClientToken, tags, base64 user data and the mapped type', async () => {
    const { client, mock, sent } = createMockedEc2();
    mock.resolves({
      Instances: [ec2Instance({ State: { Code: 0, Name: 'pending' }, PublicIpAddress: undefined, Tags: undefined })],
    });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    const instance = await provider.createInstance({
      id: overcastId,
      image: 'ami-00aabbcc',
      instanceType: 'premium',
      userData,
      tags: { role: 'worker', site: 'org', env: 'staging', queue: 'docker' },
      subnetId: 'subnet-1234',
      securityGroupId: 'sg-5678',
    });

    const tags = [
      { Key: 'Name', Value: `overcast-${overcastId}` },
      { Key: 'role', Value: 'worker' },
      { Key: 'site', Value: 'org' },
      { Key: 'env', Value: 'staging' },
      { Key: 'queue', Value: 'docker' },
      { Key: 'overcast-id', Value: overcastId },
    ];
    expect(sent()).toEqual([
      {
        command: 'RunInstancesCommand',
        input: {
          ClientToken: overcastId,
          ImageId: 'ami-00aabbcc',
          InstanceType: 'c5.xlarge',
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [
            { ResourceType: 'instance', Tags: tags },
            { ResourceType: 'volume', Tags: tags },
          ],
          UserData: Buffer.from(userData).toString('base64'),
          SubnetId: 'subnet-1234',
          SecurityGroupIds: ['sg-5678'],
        },
      },
    ]);
    expect(instance).toEqual({
      id: overcastId,
      upstreamId: 'i-0abcd1234ef567890',
      state: 'starting',
      ipAddress: '10.0.1.17',
      tags: {
        Name: `overcast-${overcastId}`,
        role: 'worker',
        site: 'org',
        env: 'staging',
        queue: 'docker',
        'overcast-id': overcastId,
      },
      createdAt: new Date('2026-11-02T10:00:00.000Z'),
    });
  });

  it('uses the configured instance types, subnet and groups when the input names none', async () => {
    const { client, mock } = createMockedEc2();
    mock.resolves({ Instances: [ec2Instance()] });
    const provider = createAwsComputeProvider({
      region: 'eu-west-1',
      client,
      instanceTypes: { standard: 'm5.large' },
      subnetId: 'subnet-default',
      securityGroupIds: ['sg-a', 'sg-b'],
    });

    await provider.createInstance({ id: overcastId, image: 'ami-1', instanceType: 'standard' });

    const input = mock.call(0).args[0].input as Record<string, unknown>;
    expect(input).toMatchObject({
      InstanceType: 'm5.large',
      SubnetId: 'subnet-default',
      SecurityGroupIds: ['sg-a', 'sg-b'],
    });
    expect(input).not.toHaveProperty('UserData');
    expect(input).not.toHaveProperty('KeyName');
  });

  it('imports the SSH key as a per-instance key pair and launches with it', async () => {
    const { client, mock, sent } = createMockedEc2();
    mock.resolves({ Instances: [ec2Instance()] });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    await provider.createInstance({
      id: overcastId,
      image: 'ami-1',
      instanceType: 'standard',
      sshPublicKey: 'ssh-ed25519 AAAA test',
    });

    const calls = sent();
    expect(calls.map((call) => call.command)).toEqual(['ImportKeyPairCommand', 'RunInstancesCommand']);
    expect(calls[0]?.input).toEqual({
      KeyName: `overcast-${overcastId}`,
      PublicKeyMaterial: new TextEncoder().encode('ssh-ed25519 AAAA test'),
      TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'overcast-id', Value: overcastId }] }],
    });
    expect(calls[1]?.input).toMatchObject({ KeyName: `overcast-${overcastId}` });
  });

  it('reuses a key pair an earlier try already imported', async () => {
    const { client, mock } = createMockedEc2();
    mock.rejects(ec2Error('InvalidKeyPair.Duplicate'));
    mock.on(RunInstancesCommand).resolves({ Instances: [ec2Instance()] });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    const instance = await provider.createInstance({
      id: overcastId,
      image: 'ami-1',
      instanceType: 'standard',
      sshPublicKey: 'ssh-rsa AAAA',
    });

    expect(instance.upstreamId).toBe('i-0abcd1234ef567890');
  });

  it('sends the same ClientToken on a retried create and gets the same instance back', async () => {
    const { client, mock } = createMockedEc2();
    mock.on(RunInstancesCommand, { ClientToken: overcastId }).resolves({ Instances: [ec2Instance()] });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });
    const input = { id: overcastId, image: 'ami-1', instanceType: 'standard' as const };

    const first = await provider.createInstance(input);
    const retried = await provider.createInstance(input);

    expect(mock.commandCalls(RunInstancesCommand).map((call) => call.args[0].input.ClientToken)).toEqual([
      overcastId,
      overcastId,
    ]);
    expect(retried.upstreamId).toBe(first.upstreamId);
  });

  it('adopts the first try’s instance when a retry’s parameters no longer match the ClientToken', async () => {
    const { client, mock, sent } = createMockedEc2();
    mock.on(RunInstancesCommand).rejects(ec2Error('IdempotentParameterMismatch'));
    mock
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ ReservationId: 'r-1', Instances: [ec2Instance()] }] });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    const instance = await provider.createInstance({ id: overcastId, image: 'ami-newer', instanceType: 'standard' });

    expect(sent().map((call) => call.command)).toEqual(['RunInstancesCommand', 'DescribeInstancesCommand']);
    expect(instance).toMatchObject({ id: overcastId, state: 'running', ipAddress: '203.0.113.175' });
  });

  it.each([
    ['RequestLimitExceeded', 400, true],
    ['InsufficientInstanceCapacity', 500, true],
    ['InternalError', 500, true],
    ['InvalidAMIID.NotFound', 400, false],
    ['UnauthorizedOperation', 403, false],
  ])('reports %s (HTTP %i) as a ProviderError with retryable=%s', async (code, status, retryable) => {
    const { client, mock } = createMockedEc2();
    mock.rejects(ec2Error(code, status));
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    const failure = provider.createInstance({ id: overcastId, image: 'ami-1', instanceType: 'standard' });

    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ retryable, code });
  });

  it('treats an unknown 5xx from EC2 as retryable', async () => {
    const { client, mock } = createMockedEc2();
    mock.rejects(
      new EC2ServiceException({
        name: 'Unknown',
        $fault: 'server',
        $metadata: { httpStatusCode: 503 },
        message: 'Service Unavailable',
      }),
    );
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    await expect(
      provider.createInstance({ id: overcastId, image: 'ami-1', instanceType: 'standard' }),
    ).rejects.toMatchObject({
      retryable: true,
    });
  });
});
