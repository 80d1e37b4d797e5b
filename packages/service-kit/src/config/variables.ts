import { z } from 'zod';

/**
 * Schemas for the variables most services share. Messages say what a valid value looks like and never
 * repeat the value itself (it may be a secret).
 */

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export const logFormats = ['json', 'pretty'] as const;
export type LogFormat = (typeof logFormats)[number];

/** `json` for log pipelines, `pretty` for a person at a terminal; absent: decided by whether stdout is a terminal. */
export function logFormatVariable() {
  return z.enum(logFormats, { error: `must be one of ${logFormats.join(', ')}` }).optional();
}

function port() {
  return z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number from 0 to 65535')
    .transform(Number)
    .refine((value) => value <= 65535, 'must be a port number from 0 to 65535');
}

/** A TCP port; 0 asks the OS for a free one (tests). */
export function portVariable(defaultPort: number) {
  return port().default(defaultPort);
}

/** A port whose absence means "not on a port of its own" (METRICS_PORT: /metrics then stays on the service port). */
export function optionalPortVariable() {
  return port().optional();
}

export function logLevelVariable(defaultLevel: LogLevel = 'info') {
  return z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default(defaultLevel);
}

function positiveInteger() {
  return z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive whole number')
    .transform(Number);
}

/** A positive whole number, e.g. a timeout in milliseconds or a pool size. */
export function positiveIntegerVariable(defaultValue: number) {
  return positiveInteger().default(defaultValue);
}

/** A positive whole number whose absence means "the library's own default", which is then not written twice. */
export function optionalPositiveIntegerVariable() {
  return positiveInteger().optional();
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`), because shells and compose files write booleans all three ways. */
export function booleanVariable(defaultValue: boolean) {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1' || value === 'yes')
    .default(defaultValue);
}

/** Postgres connection URL; `?schema=` selects the service's own schema. */
export function databaseUrlVariable() {
  return urlWithProtocol(['postgres:', 'postgresql:'], 'must be a postgres:// or postgresql:// URL');
}

/** RabbitMQ URL. Make it `.optional()` where the service falls back to the in-memory bus. */
export function amqpUrlVariable() {
  return urlWithProtocol(['amqp:', 'amqps:'], 'must be an amqp:// or amqps:// URL');
}

function urlWithProtocol(protocols: string[], message: string) {
  return z.string({ error: message }).refine((value) => {
    try {
      const url = new URL(value);
      return protocols.includes(url.protocol) && url.hostname !== '';
    } catch {
      return false;
    }
  }, message);
}
