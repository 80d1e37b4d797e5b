import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const generatedToken = /^generated token: (\S+)$/m;

/** `pnpm overcast-admin …` as an operator runs it from the repository root, on a standalone's data. */
export async function overcastAdmin(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<string> {
  const bin = path.join(__dirname, '..', '..', 'bin', 'overcast-admin.js');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, ...argv], { env: { ...process.env, ...env } });
  return stdout;
}

/** The token `overcast-admin create-token` printed. */
export function printedToken(output: string): string {
  const token = generatedToken.exec(output)?.[1];
  if (!token) throw new Error(`overcast-admin printed no token: ${output}`);
  return token;
}
