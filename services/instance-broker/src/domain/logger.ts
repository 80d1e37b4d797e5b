/** The logging the use cases need; pino's logger fits structurally. */
export interface DomainLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}
