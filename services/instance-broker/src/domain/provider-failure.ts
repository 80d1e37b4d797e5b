import { ProviderError } from '@overcast/providers';

/** Unknown errors count as transient: retrying a bug costs little, giving up on a blip loses an instance. */
export function isPermanentProviderFailure(error: unknown): boolean {
  return error instanceof ProviderError && !error.retryable;
}

export function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
