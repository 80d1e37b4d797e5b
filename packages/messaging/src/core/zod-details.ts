import type { ErrorDetail } from '@overcast/contracts';
import type { z } from 'zod';

/** zod issues as the error details every client understands: a dotted path and a message. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix: string): ErrorDetail[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map((segment) => String(segment))].join('.'),
    message: issue.message,
  }));
}

export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: string): string {
  return issuesToDetails(issues, prefix)
    .map((detail) => `${detail.path}: ${detail.message}`)
    .join('; ');
}
