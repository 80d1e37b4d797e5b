import { AppError } from '@overcast/contracts';
import type { z } from 'zod';

/**
 * An optional text field as the services take it: an empty string is "not given" (the originals' clients send
 * `env=` and `"public_ssh_key": ""` for nothing), where the services' contracts refuse an empty string.
 */
export function given(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * A path id, when the RPC's contract can carry it; else not_found at once (the spec: a malformed id answers 404),
 * rather than a request the bus refuses as not matching its schema.
 */
export function pathIdFor(request: z.ZodObject<{ id: z.ZodType }>, id: unknown, notFound: string): string {
  const value = String(id);
  if (!request.shape.id.safeParse(value).success) throw new AppError('not_found', notFound);
  return value;
}
