import { z } from 'zod';
import { defineCatalog, defineCommand, defineEvent, defineRpc } from './catalog';
import { contextFrom, createEnvelope, Envelope } from './envelope';

const InstanceCreated = defineEvent({ type: 'instance.created', schema: z.object({ id: z.string() }) });
const CreateInstance = defineCommand({
  type: 'instance.create',
  service: 'instance-broker',
  schema: z.object({ id: z.string() }),
});
const GetInstance = defineRpc({
  type: 'instance.get',
  service: 'instance-broker',
  request: z.object({ id: z.string() }),
  response: z.object({ id: z.string(), state: z.string() }),
});

describe('catalog', () => {
  it('keys definitions by wire name and defaults the version to 1', () => {
    const catalog = defineCatalog(InstanceCreated, CreateInstance, GetInstance);
    expect(Object.keys(catalog)).toEqual(['instance.created', 'instance.create', 'instance.get']);
    expect(catalog['instance.create'].version).toBe(1);
    expect(catalog['instance.get'].kind).toBe('rpc');
  });

  it('refuses two definitions with the same wire name', () => {
    expect(() => defineCatalog(InstanceCreated, InstanceCreated)).toThrow(
      'duplicate message type in catalog: instance.created',
    );
  });
});

describe('envelope', () => {
  it('carries the correlation of the context and names its cause', () => {
    const first = createEnvelope('instance.create', 1, { id: 'a' }, { correlationId: 'req-1' });
    const second = createEnvelope('instance.created', 1, { id: 'a' }, contextFrom(first));
    expect(Envelope.parse(second)).toEqual(second);
    expect(second.correlationId).toBe('req-1');
    expect(second.causationId).toBe(first.id);
  });

  it('starts a new correlation when there is no context', () => {
    const envelope = createEnvelope('instance.created', 1, {});
    expect(envelope.correlationId).toBe(envelope.id);
    expect(envelope.causationId).toBeNull();
  });
});
