import { buildProgram } from './build-program';
import type { CliIo } from './cli-io';
import { exitCodes } from './cli-io';
import { reportError } from './report-error';

/** Runs one `overcast …` invocation in-process and answers its exit code; never calls process.exit. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    return reportError(error, io);
  }
}
