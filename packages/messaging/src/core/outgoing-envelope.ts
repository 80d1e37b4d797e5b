import { AppError, createEnvelope } from '@overcast/contracts';
import type { Envelope, MessageContext } from '@overcast/contracts';
import type { z } from 'zod';
import type { MessageContextHook } from '../bus-options';
import { withTraceContext } from '../telemetry/trace-context';
import { issuesToDetails } from './zod-details';

/**
 * Validate before sending, so a bad payload fails at its source with the paths that are wrong instead of
 * becoming a dead letter somewhere else. The payload travels as given (schema input), consumers parse it.
 */
export function outgoingEnvelope(
  definition: { type: string; version: number },
  schema: z.ZodType,
  payload: unknown,
  context: MessageContext | undefined,
  hook: MessageContextHook,
): Envelope {
  const result = schema.safeParse(payload);
  if (!result.success) {
    throw new AppError('bad_request', `${definition.type} does not match its schema`, {
      details: issuesToDetails(result.error.issues, 'payload'),
    });
  }
  return withTraceContext(createEnvelope(definition.type, definition.version, payload, context ?? hook.current()));
}
