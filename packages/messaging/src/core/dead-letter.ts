import type { DeadLetter } from '../bus';
import { parseEnvelope } from './parse-envelope';

export function deadLetterFrom(body: string, queue: string, attempts: number, lastError: string): DeadLetter {
  const parsed = parseEnvelope(body);
  return { envelope: parsed.ok ? parsed.envelope : null, raw: body, queue, attempts, lastError };
}
