import path from 'node:path';
import { findRunningEmbeddedPostgres, startEmbeddedPostgres } from '@overcast/db';
import { runAdminCli } from '@overcast/gateway-api';
import { loadStandaloneConfigOrExit } from '../config';
import { gatewaySchema, postgresDataDir } from '../layout';
import { runLocalDatacenterCommand } from './local-datacenter-command';

/**
 * `pnpm overcast-admin datacenter stop|start`: pnpm start's local datacenter agent (no database needed). Any other
 * command on the standalone's data: DATABASE_URL when set, else the embedded server a running `pnpm start` serves
 * on OVERCAST_DATA_DIR, else that server started for the length of the command.
 */
async function main(): Promise<number> {
  const config = loadStandaloneConfigOrExit();
  const write = {
    out: (line: string) => process.stdout.write(`${line}\n`),
    err: (line: string) => process.stderr.write(`${line}\n`),
  };
  const [command, action] = process.argv.slice(2);
  if (command === 'datacenter') {
    return runLocalDatacenterCommand({
      action,
      dataDir: path.resolve(config.OVERCAST_DATA_DIR),
      env: config.serviceEnvironment,
      write,
    });
  }
  const dataDir = postgresDataDir(path.resolve(config.OVERCAST_DATA_DIR));
  const running = config.DATABASE_URL ?? (await findRunningEmbeddedPostgres(dataDir));
  const embedded = running === null ? await startEmbeddedPostgres({ dataDir }) : null;
  try {
    return await runAdminCli({
      databaseUrl: running ?? embedded!.url,
      databaseSchema: gatewaySchema,
      argv: process.argv.slice(2),
      write,
    });
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`overcast-admin: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
