import { connect } from 'amqplib';
import { Client } from 'pg';
import { testAmqpUrl, testPostgresUrl } from './urls';

async function probePostgres(): Promise<string | null> {
  const client = new Client({ connectionString: testPostgresUrl(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeRabbitMq(): Promise<string | null> {
  try {
    const connection = await connect(testAmqpUrl(), { timeout: 3000 });
    connection.on('error', () => undefined);
    await connection.close();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Jest global setup: probe the real Postgres and RabbitMQ once. Missing services make their suites skip,
 * loudly; under OVERCAST_REQUIRE_SERVICES=1 (CI) a missing service fails the run instead.
 */
// eslint-disable-next-line no-restricted-syntax -- jest loads a global setup by its default export
export default async function globalSetup(): Promise<void> {
  const [postgresError, rabbitError] = await Promise.all([probePostgres(), probeRabbitMq()]);
  process.env.OVERCAST_TEST_POSTGRES = postgresError ? '0' : '1';
  process.env.OVERCAST_TEST_RABBITMQ = rabbitError ? '0' : '1';
  const missing = [
    postgresError && `Postgres at ${testPostgresUrl()}: ${postgresError}`,
    rabbitError && `RabbitMQ at ${testAmqpUrl()}: ${rabbitError}`,
  ].filter(Boolean);
  if (missing.length === 0) return;
  if (process.env.OVERCAST_REQUIRE_SERVICES === '1') {
    throw new Error(`OVERCAST_REQUIRE_SERVICES=1 but a real service is unreachable:\n  ${missing.join('\n  ')}`);
  }
  process.stderr.write(`\n*** SKIPPING suites that need real services (unreachable):\n  ${missing.join('\n  ')}\n\n`);
}
