import { ProviderError } from '../../core/compute';
import { awsErrorCode, isRetryableAwsError } from '../../aws/ec2-errors';

/** Run one AWS call (after the SDK's own retries), turning a failure into a ProviderError that says whether to retry. */
export async function callAws<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    const code = awsErrorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    throw new ProviderError(`${action} failed: ${code ?? 'error'}: ${message}`, {
      retryable: isRetryableAwsError(error),
      cause: error,
      ...(code === undefined ? {} : { code }),
    });
  }
}

/** The call's result, or `fallback` when AWS answers with one of `codes` (say, a resource already gone). */
export async function unlessAws<T>(codes: string[], fallback: T, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderError && error.code && codes.includes(error.code)) return fallback;
    throw error;
  }
}
