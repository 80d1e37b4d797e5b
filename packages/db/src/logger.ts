/** The slice of a pino-style logger this package writes to; pino's Logger fits as is. */
export interface DbLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

const ignore = (): void => undefined;

export const silentLogger: DbLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/** An error as log details: message and code, never the whole object (pg errors carry the query). */
export function describeError(error: unknown): { error: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { error: error.message, code } : { error: error.message };
  }
  return { error: String(error) };
}
