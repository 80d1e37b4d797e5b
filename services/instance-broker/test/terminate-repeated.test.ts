import {
  createEnvelope,
  createInstanceRpc,
  getInstanceRpc,
  terminateInstanceRpc,
  terminateRequestedCommand,
} from '@overcast/contracts';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { instanceBrokerQueue } from '../src/service';
import { createProviderRegistry } from '@overcast/providers';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

/** What the replica's bus did with each message: one entry per delivery handled, retried or dead-lettered. */
function deliveryRecorder() {
  const deliveries: { messageId: unknown; outcome: string }[] = [];
  const record = (outcome: string) => (object: object, message?: string) => {
    if (message === outcome) deliveries.push({ messageId: (object as { messageId?: unknown }).messageId, outcome });
  };
  const logger = {
    debug: record('message handled'),
    info: () => undefined,
    warn: record('handler failed; retrying later'),
    error: record('message dead-lettered'),
  };
  return {
    logger,
    of: (messageId: string) =>
      deliveries.filter((delivery) => delivery.messageId === messageId).map((delivery) => delivery.outcome),
  };
}

describeWithPostgres('terminating more than once', () => {
  let environment: BrokerEnvironment;
  const fake = new ObservedProvider();
  const deliveries = deliveryRecorder();

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    await environment.startReplica({ providers: createProviderRegistry([fake]), busLogger: deliveries.logger });
  });

  afterAll(async () => {
    await environment?.close();
  });

  async function runningInstance(tenantId: string) {
    const { client } = environment;
    const created = await client.call(createInstanceRpc, { tenantId, provider: 'fake', image: 'standard-image' });
    await waitFor(
      'running',
      async () => (await client.call(getInstanceRpc, { tenantId, id: created.id })).state === 'running',
    );
    return created;
  }

  it('answers every one of three terminate requests without error and terminates once', async () => {
    const { client } = environment;
    const created = await runningInstance('t1');
    // Held in `terminating` by the provider, so a fast termination cannot finish between the three requests.
    let release!: () => void;
    fake.terminationsHeld = new Promise((resolve) => (release = resolve));
    const answers = [];
    for (let index = 0; index < 3; index += 1)
      answers.push(await client.call(terminateInstanceRpc, { tenantId: 't1', id: created.id }));
    expect(answers.map((answer) => answer.state)).toEqual(['terminating', 'terminating', 'terminating']);
    release();
    fake.terminationsHeld = null;
    await waitFor(
      'terminated',
      async () => (await client.call(getInstanceRpc, { tenantId: 't1', id: created.id })).state === 'terminated',
    );
    const afterwards = await client.call(terminateInstanceRpc, { tenantId: 't1', id: created.id });
    expect(afterwards.state).toBe('terminated');
    expect(fake.terminated.filter((id) => id === created.id)).toHaveLength(1);
  });

  it('handles the same termination job delivered three times without a dead letter', async () => {
    const { client } = environment;
    const created = await runningInstance('t2');
    await client.call(terminateInstanceRpc, { tenantId: 't2', id: created.id });
    const duplicate = createEnvelope(terminateRequestedCommand.type, terminateRequestedCommand.version, {
      tenantId: 't2',
      instanceId: created.id,
      slackChannel: null,
    });
    for (let index = 0; index < 3; index += 1) await client.publishEnvelope('command', duplicate);
    await waitFor(
      'terminated',
      async () => (await client.call(getInstanceRpc, { tenantId: 't2', id: created.id })).state === 'terminated',
    );
    // Each of the three deliveries was handled at its first attempt: none failed, none was retried or parked.
    await waitFor('three deliveries of the duplicate', () => deliveries.of(duplicate.id).length >= 3);
    expect(deliveries.of(duplicate.id)).toEqual(['message handled', 'message handled', 'message handled']);
    expect(await client.readDeadLetters(instanceBrokerQueue)).toEqual([]);
  });
});
