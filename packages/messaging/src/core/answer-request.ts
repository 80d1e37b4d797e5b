import { SpanKind } from '@opentelemetry/api';
import { AppError, contextFrom } from '@overcast/contracts';
import type { Catalog, RpcDefinition } from '@overcast/contracts';
import type { RpcHandler } from '../bus';
import type { HandlingRuntime } from './handle-message';
import type { ParsedEnvelope } from './parse-envelope';
import { inSpan } from '../telemetry/in-span';
import { traceContextOf } from '../telemetry/trace-context';
import { replyFromError } from './rpc-reply';
import type { RpcReply } from './rpc-reply';
import { issuesToDetails } from './zod-details';

export interface IncomingRequest {
  envelope: ParsedEnvelope;
  /** Epoch ms after which the caller no longer waits. */
  deadline: number | undefined;
  redelivered: boolean;
}

export interface RequestProcessor {
  service: string;
  catalog: Catalog<RpcDefinition>;
  handlers: Readonly<Record<string, RpcHandler<unknown, unknown>>>;
}

/** The reply to send, or undefined when the request expired: nobody waits, so it must not be processed. */
export async function answerRequest(
  request: IncomingRequest,
  processor: RequestProcessor,
  runtime: HandlingRuntime,
): Promise<RpcReply | undefined> {
  const { logger } = runtime;
  if (request.deadline !== undefined && Date.now() >= request.deadline) {
    logger.warn(
      { service: processor.service, deadline: new Date(request.deadline).toISOString() },
      'expired rpc request dropped',
    );
    return undefined;
  }
  const parsed = request.envelope;
  if (!parsed.ok) return { ok: false, error: new AppError('bad_request', parsed.error).toJSON() };
  const { envelope } = parsed;
  const fields = {
    service: processor.service,
    messageId: envelope.id,
    type: envelope.type,
    correlationId: envelope.correlationId,
  };

  const definition = processor.catalog[envelope.type];
  const handler = processor.handlers[envelope.type];
  if (!definition || !handler) {
    return {
      ok: false,
      error: new AppError('bad_request', `${processor.service} does not answer ${envelope.type}`).toJSON(),
    };
  }
  const parsedRequest = definition.request.safeParse(envelope.payload);
  if (!parsedRequest.success) {
    const details = issuesToDetails(parsedRequest.error.issues, 'request');
    return {
      ok: false,
      error: new AppError('bad_request', `${envelope.type} does not match its schema`, { details }).toJSON(),
    };
  }

  try {
    const result = await inSpan(
      envelope.type,
      SpanKind.SERVER,
      { 'rpc.system': 'overcast-bus', 'rpc.service': processor.service, 'rpc.method': envelope.type },
      () =>
        runtime.context.run(contextFrom(envelope), () =>
          handler(parsedRequest.data, {
            envelope: { ...envelope, payload: parsedRequest.data },
            attempt: 1,
            redelivered: request.redelivered,
          }),
        ),
      traceContextOf(envelope),
    );
    logger.debug(fields, 'rpc answered');
    return { ok: true, result };
  } catch (error) {
    return replyFromError(error, logger, fields);
  }
}
