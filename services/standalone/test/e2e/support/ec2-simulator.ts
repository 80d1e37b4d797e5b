import {
  DeleteKeyPairCommand,
  DescribeInstancesCommand,
  EC2Client,
  EC2ServiceException,
  ImportKeyPairCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type Filter,
  type Instance,
  type InstanceState,
  type RunInstancesCommandInput,
  type Tag,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';

/** EC2's documented state codes (the low byte of InstanceState.Code). */
const states = {
  pending: { Code: 0, Name: 'pending' },
  running: { Code: 16, Name: 'running' },
  'shutting-down': { Code: 32, Name: 'shutting-down' },
  terminated: { Code: 48, Name: 'terminated' },
} satisfies Record<string, InstanceState>;

interface SimulatedInstance {
  clientToken: string;
  request: RunInstancesCommandInput;
  instance: Instance;
}

function ec2Error(code: string, message: string): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: 400, requestId: 'req-simulated' },
    message,
  });
}

function matches(instance: Instance, filters: Filter[]): boolean {
  const tags = instance.Tags ?? [];
  return filters.every((filter) => {
    if (filter.Name === 'tag-key') return tags.some((tag) => filter.Values?.includes(tag.Key ?? '') ?? false);
    if (filter.Name?.startsWith('tag:')) {
      const key = filter.Name.slice('tag:'.length);
      return tags.some((tag) => tag.Key === key && (filter.Values?.includes(tag.Value ?? '') ?? false));
    }
    throw ec2Error('InvalidParameterValue', `The filter '${filter.Name}' is invalid`);
  });
}

/** Observing an instance lets time pass for it: the next answer shows it one transition further. */
function advance(simulated: SimulatedInstance, sequence: number): void {
  const { instance } = simulated;
  if (instance.State?.Name === 'pending') {
    instance.State = states.running;
    instance.PublicIpAddress = `203.0.113.${10 + sequence}`;
  } else if (instance.State?.Name === 'shutting-down') {
    instance.State = states.terminated;
    delete instance.PublicIpAddress;
  }
}

/**
 * A stateful EC2 behind a real EC2Client whose `send` is stubbed (aws-sdk-client-mock): RunInstances is
 * idempotent on ClientToken and launches `pending`; DescribeInstances filters by tag and shows each
 * instance one transition further than the last describe (pending → running with a public IP);
 * TerminateInstances goes shutting-down, then terminated. Answers are shaped like EC2's documented ones.
 */
export function createEc2Simulator() {
  const client = new EC2Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated' },
  });
  const mock = mockClient(client);
  const instances: SimulatedInstance[] = [];
  const keyPairs = new Set<string>();

  mock.onAnyCommand().callsFake((input: unknown) => {
    throw ec2Error(
      'UnsupportedOperation',
      `the EC2 simulator does not implement this command: ${JSON.stringify(input)}`,
    );
  });

  mock.on(RunInstancesCommand).callsFake((input: RunInstancesCommandInput) => {
    const token = input.ClientToken ?? '';
    const earlier = token ? instances.find((simulated) => simulated.clientToken === token) : undefined;
    if (earlier) {
      if (earlier.request.ImageId !== input.ImageId || earlier.request.InstanceType !== input.InstanceType) {
        throw ec2Error('IdempotentParameterMismatch', 'The client token was used with different parameters');
      }
      return {
        ReservationId: `r-${earlier.instance.InstanceId}`,
        OwnerId: '123456789012',
        Groups: [],
        Instances: [earlier.instance],
      };
    }
    const sequence = instances.length + 1;
    const tags: Tag[] = input.TagSpecifications?.find((spec) => spec.ResourceType === 'instance')?.Tags ?? [];
    const instance: Instance = {
      InstanceId: `i-0${String(sequence).padStart(16, '0')}`,
      ImageId: input.ImageId,
      InstanceType: input.InstanceType,
      KeyName: input.KeyName,
      LaunchTime: new Date(),
      State: states.pending,
      PrivateIpAddress: `10.0.1.${sequence}`,
      ClientToken: token,
      Tags: tags.map((tag) => ({ ...tag })),
    };
    instances.push({ clientToken: token, request: input, instance });
    return {
      ReservationId: `r-${instance.InstanceId}`,
      OwnerId: '123456789012',
      Groups: [],
      Instances: [structuredClone(instance)],
    };
  });

  mock.on(DescribeInstancesCommand).callsFake((input: { Filters?: Filter[] }) => {
    const found = instances.filter((simulated) => matches(simulated.instance, input.Filters ?? []));
    const answer = found.map((simulated) => ({
      ReservationId: `r-${simulated.instance.InstanceId}`,
      OwnerId: '123456789012',
      Instances: [structuredClone(simulated.instance)],
    }));
    for (const simulated of found) advance(simulated, instances.indexOf(simulated) + 1);
    return { Reservations: answer };
  });

  mock.on(TerminateInstancesCommand).callsFake((input: { InstanceIds?: string[] }) => {
    const targets = (input.InstanceIds ?? []).map((id) => {
      const simulated = instances.find((candidate) => candidate.instance.InstanceId === id);
      if (!simulated) throw ec2Error('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
      return simulated;
    });
    return {
      TerminatingInstances: targets.map(({ instance }) => {
        const previous = instance.State ?? states.pending;
        if (previous.Name !== 'terminated') instance.State = states['shutting-down'];
        return { InstanceId: instance.InstanceId, PreviousState: previous, CurrentState: instance.State };
      }),
    };
  });

  mock.on(ImportKeyPairCommand).callsFake((input: { KeyName?: string }) => {
    const name = input.KeyName ?? '';
    if (keyPairs.has(name)) throw ec2Error('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);
    keyPairs.add(name);
    return {
      KeyName: name,
      KeyFingerprint: '1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca',
      KeyPairId: `key-${keyPairs.size}`,
    };
  });

  mock.on(DeleteKeyPairCommand).callsFake((input: { KeyName?: string }) => {
    keyPairs.delete(input.KeyName ?? '');
    return { Return: true };
  });

  return {
    client,
    /** The simulated instance launched for this Overcast id (its ClientToken), as EC2 holds it now. */
    instanceFor: (overcastId: string): Instance | undefined =>
      instances.find((simulated) => simulated.clientToken === overcastId)?.instance,
    /** Names of the key pairs EC2 holds now. */
    keyPairs: (): string[] => [...keyPairs],
    /** The input of every command of this type sent so far, in order. */
    inputsOf: <Input>(command: new (...args: never[]) => { input: Input }): Input[] =>
      mock.commandCalls(command as never).map((call) => call.args[0].input as Input),
  };
}

export type Ec2Simulator = ReturnType<typeof createEc2Simulator>;
