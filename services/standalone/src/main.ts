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
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `overcast failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
