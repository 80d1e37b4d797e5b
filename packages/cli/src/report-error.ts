import { CommanderError } from 'commander';
import { OvercastApiError, OvercastError } from '@overcast/sdk';
import type { CliIo } from './cli-io';
import { exitCodes, MissingTokenError, ReportedFailure, UsageError } from './cli-io';
import { ConfigFileError } from './config/config-file';

/** Commander already printed its own message; these outcomes are not failures. */
const commanderSuccess = new Set(['commander.helpDisplayed', 'commander.version']);

function describeApiError(error: OvercastApiError): string {
  // A detail that repeats the error's message (a quota's) adds only its path.
  const details = error.details
    .map((detail) =>
      detail.message === error.message
        ? (detail.path ?? '')
        : detail.path
          ? `${detail.path}: ${detail.message}`
          : detail.message,
    )
    .filter((detail) => detail !== '');
  const context = [`HTTP ${error.status} ${error.code}`, ...(error.requestId ? [`request ${error.requestId}`] : [])];
  return `${error.message}${details.length > 0 ? ` (${details.join('; ')})` : ''} [${context.join(', ')}]`;
}

/** One line on stderr and the exit code for whatever ended the command. */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) return commanderSuccess.has(error.code) ? exitCodes.ok : exitCodes.usage;
  if (error instanceof ReportedFailure) return exitCodes.failure;
  const line = (message: string) => io.stderr(`overcast: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  if (error instanceof UsageError || error instanceof ConfigFileError) {
    line(error.message);
    return exitCodes.usage;
  }
  if (error instanceof MissingTokenError) {
    line(error.message);
    return exitCodes.auth;
  }
  if (error instanceof OvercastApiError) {
    line(describeApiError(error));
    // A quota's 403 is no authentication problem: the token is fine, the tenant has no room.
    return error.status === 401 || (error.status === 403 && error.code !== 'quota_exceeded')
      ? exitCodes.auth
      : exitCodes.failure;
  }
  // Connection failures, timeouts and waits that gave up.
  if (error instanceof OvercastError) {
    line(error.message);
    return exitCodes.failure;
  }
  line(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  return exitCodes.failure;
}
