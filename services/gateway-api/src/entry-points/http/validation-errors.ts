import type { ErrorDetail } from '@overcast/contracts';
import type { ErrorObject } from 'ajv';

export type InputLocation = 'path' | 'query' | 'headers' | 'body';

// `/instance_builds/count` → `body.instance_builds.count`; array items as `[0]`.
function pathOf(location: InputLocation, instancePath: string, child?: string): string {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  return segments.reduce(
    (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`),
    location,
  );
}

function describe(location: InputLocation, error: ErrorObject): ErrorDetail {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: pathOf(location, error.instancePath, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return {
        path: pathOf(location, error.instancePath, String(params.additionalProperty)),
        message: 'is not allowed',
      };
    case 'enum':
      return {
        path: pathOf(location, error.instancePath),
        message: `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`,
      };
    case 'const':
      return { path: pathOf(location, error.instancePath), message: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { path: pathOf(location, error.instancePath), message: error.message ?? `fails ${error.keyword}` };
  }
}

/** ajv's errors as details that name the field, without duplicates (oneOf branches repeat themselves). */
export function describeValidationErrors(location: InputLocation, errors: readonly ErrorObject[]): ErrorDetail[] {
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    // oneOf/anyOf summaries add nothing to the branch errors already listed.
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') continue;
    const detail = describe(location, error);
    const key = `${detail.path}\u0000${detail.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push(detail);
  }
  return details;
}
