import { Envelope } from '@overcast/contracts';
import { describeIssues } from './zod-details';

export type ParsedEnvelope = { ok: true; envelope: Envelope } | { ok: false; error: string };

/** Bodies come from the wire, possibly from other clients: never trust them to be JSON, let alone envelopes. */
export function parseEnvelope(body: string): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, error: 'not a valid envelope: the body is not JSON' };
  }
  return envelopeFromJson(json);
}

/** The same check for a value already parsed from JSON (one request of an RPC batch). */
export function envelopeFromJson(json: unknown): ParsedEnvelope {
  const result = Envelope.safeParse(json);
  if (!result.success)
    return { ok: false, error: `not a valid envelope: ${describeIssues(result.error.issues, 'envelope')}` };
  return { ok: true, envelope: result.data };
}

/** Handler errors go into dead letters and logs: keep the message, bound the size (headers are limited to 64 KiB). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
