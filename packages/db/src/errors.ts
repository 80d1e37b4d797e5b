/** Bad options given to a @overcast/db function; the message names the field. Thrown before any I/O. */
export class DatabaseOptionsError extends Error {
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'DatabaseOptionsError';
    this.field = field;
  }
}
