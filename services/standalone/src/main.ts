import { homedir } from 'node:os';
import { saveServerLogin } from '@overcast/cli/config';
import { createLogger, handleShutdownSignals } from '@overcast/service-kit';
import { loadStandaloneConfigOrExit } from './config';
import { startStandalone } from './standalone';

/** `pnpm start`: every service in this process on embedded defaults; Ctrl-C stops them cleanly. */
async function main(): Promise<void> {
  const config = loadStandaloneConfigOrExit();
  const logger = createLogger({ service: 'standalone', level: config.LOG_LEVEL });
  const standalone = await startStandalone({
    config,
    logger,
    onShutdownRequested: () => process.kill(process.pid, 'SIGTERM'),
  });
  handleShutdownSignals(() => standalone.stop(), logger);
  const lines = [
    '',
    `Overcast is running at ${standalone.url}`,
    `  API reference  ${standalone.url}/docs`,
    `  data           ${config.OVERCAST_DATA_DIR}${config.DATABASE_URL ? ' (database: DATABASE_URL)' : ''}`,
    `  bus            ${config.AMQP_URL ? 'RabbitMQ (AMQP_URL)' : 'durable queues in the database'}`,
    '',
    standalone.firstStart
      ? 'First start: an admin token was created for you.'
      : 'Admin token (kept in the data directory):',
    `  export OVERCAST_URL=${standalone.url}`,
    `  export OVERCAST_TOKEN=${standalone.adminToken}`,
    '  pnpm overcast status',
    '',
    savedForCli(standalone.url, standalone.adminToken, config.serviceEnvironment),
    '',
    'Stop: Ctrl-C (your data stays in the data directory for the next `pnpm start`).',
    `Start afresh: stop, then \`rm -rf ${config.OVERCAST_DATA_DIR}\` and \`pnpm start\` (a new database and admin token).`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The URL and token go to the CLI's config file too, so `pnpm overcast …` works without the exports. */
function savedForCli(url: string, token: string, env: NodeJS.ProcessEnv): string {
  try {
    const outcome = saveServerLogin({ url, token }, env, homedir());
    if (outcome.saved) return `Saved for the CLI in ${outcome.filePath} (\`pnpm overcast auth status\`).`;
    return `Left the CLI's config (${outcome.filePath}) logged in to ${outcome.keptUrl}: use the exports above for this server.`;
  } catch (error) {
    // A read-only home must not stop the server; the exports above still work.
    return `Could not save the CLI's config: ${error instanceof Error ? error.message : String(error)}`;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `overcast failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
