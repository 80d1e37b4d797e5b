import { ProviderError } from '../core/compute';

/** gRPC status codes gax puts on errors decoded from REST answers. */
const grpcNotFound = 5;
const grpcAlreadyExists = 6;
const retryableGrpcCodes = new Set([
  4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 10 /* ABORTED */, 13 /* INTERNAL */, 14 /* UNAVAILABLE */,
]);

/** GCE operation error codes (inside a DONE operation) that clear up by themselves. */
const retryableOperationCodes = new Set([
  'ZONE_RESOURCE_POOL_EXHAUSTED',
  'ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS',
  'QUOTA_EXCEEDED',
  'RATE_LIMIT_EXCEEDED',
  'RESOURCE_NOT_READY',
  'INTERNAL_ERROR',
]);

interface GaxErrorShape {
  code?: unknown;
  httpStatusCode?: unknown;
  reason?: unknown;
  message?: string;
}

function shapeOf(error: unknown): GaxErrorShape {
  return typeof error === 'object' && error !== null ? (error as GaxErrorShape) : {};
}

export function isGceNotFound(error: unknown): boolean {
  const shape = shapeOf(error);
  return shape.httpStatusCode === 404 || shape.code === grpcNotFound;
}

export function isGceAlreadyExists(error: unknown): boolean {
  const shape = shapeOf(error);
  return shape.httpStatusCode === 409 || shape.code === grpcAlreadyExists;
}

export function toProviderError(error: unknown, action: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const shape = shapeOf(error);
  const status = typeof shape.httpStatusCode === 'number' ? shape.httpStatusCode : undefined;
  const retryable =
    (status !== undefined && (status >= 500 || status === 429)) ||
    (typeof shape.code === 'number' && retryableGrpcCodes.has(shape.code));
  const code = typeof shape.reason === 'string' ? shape.reason : status === undefined ? undefined : `http_${status}`;
  return new ProviderError(`GCE ${action} failed: ${shape.message ?? String(error)}`, {
    retryable,
    cause: error,
    ...(code === undefined ? {} : { code }),
  });
}

/** The error a finished operation carries, as a ProviderError (GCE reports e.g. a bad image only here). */
export function operationError(
  action: string,
  errors: { code?: string | null; message?: string | null }[],
): ProviderError {
  const first = errors[0];
  const code = first?.code ?? 'OPERATION_FAILED';
  return new ProviderError(`GCE ${action} failed: ${code}: ${first?.message ?? 'no message'}`, {
    retryable: retryableOperationCodes.has(code),
    code,
  });
}

/** Run one GCE call, turning every failure into a ProviderError that says whether to retry. */
export async function callGce<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProviderError(error, action);
  }
}
