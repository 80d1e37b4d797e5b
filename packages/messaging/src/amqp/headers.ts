import type { MessageProperties } from 'amqplib';

/** Which attempt this delivery is (1-based); survives the trip through the delay queues. */
export const attemptHeader = 'x-overcast-attempt';
/** The last handler error, on retried and dead-lettered messages. */
export const errorHeader = 'x-overcast-error';
/** RPC requests: epoch ms after which the caller no longer waits, checked again after the broker's own expiry. */
export const deadlineHeader = 'x-overcast-deadline';

function headerNumber(properties: MessageProperties, name: string): number | undefined {
  const value: unknown = properties.headers?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function readAttempt(properties: MessageProperties): number {
  const attempt = headerNumber(properties, attemptHeader);
  return attempt !== undefined && Number.isInteger(attempt) && attempt >= 1 ? attempt : 1;
}

export function readDeadline(properties: MessageProperties): number | undefined {
  return headerNumber(properties, deadlineHeader);
}

/** Why a dead letter is parked: our handler's error, or the broker's reason when it dead-lettered it itself. */
export function readLastError(properties: MessageProperties): string {
  const error: unknown = properties.headers?.[errorHeader];
  if (typeof error === 'string') return error;
  const reason: unknown = properties.headers?.['x-first-death-reason'];
  return typeof reason === 'string' ? `dead-lettered by the broker: ${reason}` : 'unknown';
}
