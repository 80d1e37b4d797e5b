/** Everything the CLI touches outside itself, passed in so tests can run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Where `~/.config/overcast/config.yml` lives unless XDG_CONFIG_HOME or OVERCAST_CONFIG_DIR say otherwise. */
  homeDirectory: string;
  /** Everything on standard input (`auth login --with-token`). */
  readStdin?(): Promise<string>;
  /** Whether stderr is a terminal: live spinners then, plain progress lines otherwise. Tests force it. */
  stderrIsTerminal?: boolean;
  /** A fetch for the SDK to use instead of the global one. */
  fetch?: (request: Request) => Promise<Response>;
  /** Asks a yes/no question on the terminal; absent when there is none (then a command needs --yes). */
  confirm?(question: string): Promise<boolean>;
  /** Aborted when the user stops a long-running command (Ctrl-C while following events). */
  signal?: AbortSignal;
  /** Extra SDK client settings (tests shorten retry delays). */
  clientOptions?: { maxRetries?: number; retryDelay?: { initialMs?: number; maxMs?: number } };
}

export const exitCodes = {
  ok: 0,
  /** The API answered an error, or it could not be reached, or a wait gave up. */
  failure: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** No token, or the API refused it (401/403). */
  auth: 3,
} as const;

/** A mistake on the command line or in the configuration (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command needs a token and none is configured (exit 3). */
export class MissingTokenError extends Error {
  override name = 'MissingTokenError';
}

/** The command has printed what went wrong itself (an invalid file's problems); it only exits 1. */
export class ReportedFailure extends Error {
  override name = 'ReportedFailure';
}
