import { InvalidArgumentError } from 'commander';

/** Commander option parsers: a bad value is a usage error naming the flag (commander adds the flag). */
export function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('must be a whole number of at least 1');
  }
  return parsed;
}

export function parseSeconds(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0)
    throw new InvalidArgumentError('must be a number of seconds above 0');
  return parsed;
}

export function parseNonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed)) {
    throw new InvalidArgumentError('must be a whole number of at least 0');
  }
  return parsed;
}
