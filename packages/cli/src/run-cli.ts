import { buildProgram } from './build-program';
import type { CliIo } from './cli-io';
import { exitCodes } from './cli-io';
import { completionTree } from './completion/command-tree';
import { separateBareJsonFlag } from './output/json-output';
import { reportError } from './report-error';

/** Runs one `overcast …` invocation in-process and answers its exit code; never calls process.exit. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const program = buildProgram(io);
    const commandNames = new Set(completionTree(program).flatMap((node) => node.subcommands));
    await program.parseAsync(separateBareJsonFlag(argv, commandNames), { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    return reportError(error, io);
  }
}
