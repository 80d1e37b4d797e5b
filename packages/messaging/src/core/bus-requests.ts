import { AppError, Envelope } from '@overcast/contracts';
import type { Catalog, MessageContext, MessageDefinition, RpcDefinition } from '@overcast/contracts';
import type { CallOptions, ConsumeOptions } from '../bus';
import { assertPositiveInteger, assertValidName } from '../bus-options';
import type { RequestProcessor } from './answer-request';
import type { BusSettings } from './bus-settings';
import type { MessageProcessor } from './handle-message';
import { messageHandlersOf, rpcHandlersOf } from './handler-maps';
import { outgoingEnvelope } from './outgoing-envelope';
import { resolveRetryPolicy } from './retry-policy';
import { describeIssues } from './zod-details';

// What every transport does with a Bus call before its own part (routing, queues, replies): one place, one behaviour.

/** `publish`: the payload checked against its schema and wrapped in an envelope under the current context. */
export function envelopeToPublish(
  settings: BusSettings,
  definition: MessageDefinition,
  payload: unknown,
  context: MessageContext | undefined,
): Envelope {
  return outgoingEnvelope(definition, definition.schema, payload, context, settings.context);
}

/** `publishEnvelope`: an envelope built elsewhere (the outbox) is checked before it is routed. */
export function assertPublishableEnvelope(kind: unknown, envelope: unknown): asserts envelope is Envelope {
  const checked = Envelope.safeParse(envelope);
  if (!checked.success)
    throw new AppError('bad_request', `not a valid envelope: ${describeIssues(checked.error.issues, 'envelope')}`);
  if (kind !== 'command' && kind !== 'event')
    throw new TypeError(`kind must be 'command' or 'event' (got ${JSON.stringify(kind)})`);
}

/** `consume`: the checked queue name, handlers and retry policy, and the consumer's prefetch. */
export function messageConsumerOf(
  settings: BusSettings,
  queue: string,
  catalog: Catalog<MessageDefinition>,
  handlers: object,
  options: ConsumeOptions | undefined,
): { processor: MessageProcessor; prefetch: number } {
  const processor = {
    queue: assertValidName('queue', queue),
    catalog,
    handlers: messageHandlersOf(queue, catalog, handlers),
    retry: resolveRetryPolicy(settings.defaultRetry, options?.retry),
  };
  return { processor, prefetch: assertPositiveInteger('prefetch', options?.prefetch ?? settings.prefetch) };
}

/** `serve`: the checked service name and handlers, and the server's prefetch. */
export function requestServerOf(
  settings: BusSettings,
  service: string,
  catalog: Catalog<RpcDefinition>,
  handlers: object,
  options: ConsumeOptions | undefined,
): { processor: RequestProcessor; prefetch: number } {
  const processor = {
    service: assertValidName('service', service),
    catalog,
    handlers: rpcHandlersOf(service, catalog, handlers),
  };
  return { processor, prefetch: assertPositiveInteger('prefetch', options?.prefetch ?? settings.prefetch) };
}

/** `call`: the request checked and wrapped in an envelope, and how long the caller waits for the reply. */
export function outgoingCall(
  settings: BusSettings,
  definition: RpcDefinition,
  request: unknown,
  options: CallOptions | undefined,
): { envelope: Envelope; timeoutMs: number } {
  const timeoutMs = assertPositiveInteger('timeoutMs', options?.timeoutMs ?? settings.rpcTimeoutMs);
  const envelope = outgoingEnvelope(definition, definition.request, request, options?.context, settings.context);
  return { envelope, timeoutMs };
}
