import type { Instance } from '@aws-sdk/client-ec2';
import { EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';

/** A real EC2Client whose `send` is stubbed: commands are built and recorded exactly as in production. */
export function createMockedEc2() {
  const client = new EC2Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
  const mock = mockClient(client);
  /** Every command sent, in order, as `{ command, input }`. */
  const sent = () =>
    mock.calls().map((call) => {
      const command = call.args[0] as { constructor: { name: string }; input: unknown };
      return { command: command.constructor.name, input: command.input };
    });
  return { client, mock, sent };
}

/** An EC2 error as SDK v3 surfaces it: the EC2 error code is the exception's name. */
export function ec2Error(code: string, httpStatusCode = 400, message = `${code} (test)`): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: 'req-test' },
    message,
  });
}

export const overcastId = '0d654ef4-75b9-49a6-9f90-f9b1ae3501fc';

/** One instance as it appears in a DescribeInstances / RunInstances response (fields Overcast reads). */
export function ec2Instance(overrides: Partial<Instance> = {}): Instance {
  return {
    InstanceId: 'i-0abcd1234ef567890',
    ImageId: 'ami-00aabbcc',
    InstanceType: 't3.medium',
    LaunchTime: new Date('2026-11-02T10:00:00.000Z'),
    State: { Code: 16, Name: 'running' },
    PrivateIpAddress: '10.0.1.17',
    PublicIpAddress: '203.0.113.175',
    Tags: [
      { Key: 'Name', Value: `overcast-${overcastId}` },
      { Key: 'overcast-id', Value: overcastId },
      { Key: 'role', Value: 'worker' },
    ],
    ...overrides,
  };
}
