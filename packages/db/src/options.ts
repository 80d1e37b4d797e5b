import { DatabaseOptionsError } from './errors';

/** A positive integer option, or its default; throws naming the field otherwise. */
export function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new DatabaseOptionsError(field, `must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** A non-empty string option; throws naming the field otherwise. */
export function nonEmptyString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DatabaseOptionsError(field, `must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}
