import { ProviderError } from '../core/compute';

/** EC2 error codes that clear up by themselves: throttling, capacity, EC2's own faults. */
const retryableCodes = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'RequestThrottledException',
  'InsufficientInstanceCapacity',
  'InsufficientAddressCapacity',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'Unavailable',
  'TimeoutError',
]);

/** Node network failures: the request may not have reached EC2 (or its answer was lost). */
const retryableNetworkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** The EC2 error code (`InvalidGroup.Duplicate`); SDK v3 puts it in `name`. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const shape = error as AwsErrorShape;
  return shape.name && shape.name !== 'Error' ? shape.name : shape.code;
}

export function isRetryableAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const shape = error as AwsErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (shape.$fault === 'server' || shape.$retryable) return true;
  const code = awsErrorCode(error);
  return (
    (code !== undefined && retryableCodes.has(code)) ||
    (shape.code !== undefined && retryableNetworkCodes.has(shape.code))
  );
}

export function toProviderError(error: unknown, action: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const code = awsErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`EC2 ${action} failed: ${code ?? 'error'}: ${message}`, {
    retryable: isRetryableAwsError(error),
    cause: error,
    ...(code === undefined ? {} : { code }),
  });
}

/** Run one EC2 call, turning every failure into a ProviderError that says whether to retry. */
export async function callEc2<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProviderError(error, action);
  }
}
