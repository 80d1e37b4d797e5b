import { AppError } from '@overcast/contracts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs: anything that is not a uuid cannot exist (cloud-brain answered 500 for those). */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** Unknown, malformed, or another tenant's: all the same answer, so nothing leaks which ids exist. */
export function notFound(what: 'instance' | 'instance build' | 'image'): AppError {
  return new AppError('not_found', `${what} not found`);
}
