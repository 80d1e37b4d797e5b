import { ProviderError } from '../core/compute';

/**
 * The one classification of AWS errors, for every AWS call Overcast makes (EC2 here, ECS, ELB, Route53, EventBridge
 * and Auto Scaling through callAws): retryable are the errors that clear up by themselves (throttling, AWS's own
 * 5xx faults, capacity, a network failure); everything else is a client error (ValidationError,
 * InvalidParameterException, ClientException, AccessDenied…, a quota's LimitExceededException) that the same request
 * meets again on every try, so its caller stops at once instead of retrying into a timeout.
 */
const retryableCodes = new Set([
  // Throttling, in each service's words. Of the `LimitExceeded` codes only EC2's RequestLimitExceeded is a rate;
  // ECS's and EventBridge's LimitExceededException and ELB's TooMany… are quotas (a client error until raised).
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  // ELB: its own call to another AWS service was throttled.
  'DependencyThrottle',
  'DependencyThrottleException',
  // Route53: a change to the zone is still in progress.
  'PriorRequestNotComplete',
  'InsufficientInstanceCapacity',
  'InsufficientAddressCapacity',
  'InternalError',
  'InternalFailure',
  'ServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'Unavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/** Node network failures: the request may not have reached AWS (or its answer was lost). */
const retryableNetworkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** The AWS error code (`InvalidGroup.Duplicate`, `ClientException`); SDK v3 puts it in `name`. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const shape = error as AwsErrorShape;
  return shape.name && shape.name !== 'Error' ? shape.name : shape.code;
}

/** Whether a retry can succeed: a 5xx or 429 answer, a fault the SDK marks server or retryable, a code above. */
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
