// Drives a running stack's gateway through one instance's life with the SDK, as a user would:
// status (every service of --services up) → one read per domain → create → running → delete → terminated.
// Exits 1 naming the step that failed.
//   pnpm --filter @overcast/infra exec tsx --conditions=@overcast/source compose/round-trip.ts --url http://127.0.0.1:8080 \
//     --token-file <file> [--services gateway-api,instance-broker,…]
// The token comes from a file (scripts/compose-first-token.sh writes one), never the command line: ps shows that.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient, type Instance, type PlatformStatus } from '@overcast/sdk';
import { probeDomains } from './domain-probes';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    'token-file': { type: 'string' },
    provider: { type: 'string', default: 'fake' },
    /** Services GET /status must report up, comma-separated (the stack's; default: whatever the gateway lists). */
    services: { type: 'string', default: '' },
    'timeout-seconds': { type: 'string', default: '60' },
  },
});
if (!values.url || !values['token-file']) {
  process.stderr.write('usage: round-trip.ts --url <gateway URL> --token-file <file> [--provider fake]\n');
  process.exit(2);
}
const token = readFileSync(values['token-file'], 'utf8').trim();
const client = createClient({ baseUrl: values.url, token });
const expectedServices = (values.services ?? '').split(',').filter(Boolean);
const patience = { intervalMs: 250, timeoutMs: Number(values['timeout-seconds']) * 1000 };
const startedAt = Date.now();

function report(step: string, detail: string): void {
  process.stdout.write(
    `round trip: ${step.padEnd(10)} ${detail} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)\n`,
  );
}

const describe = (instance: Instance) =>
  `${instance.id} ${instance.state} provider=${instance.provider} ip=${instance.ip_address ?? '-'} upstream=${instance.upstream_id ?? '-'}`;

async function waitForStatusOk(): Promise<PlatformStatus> {
  const deadline = Date.now() + patience.timeoutMs;
  for (;;) {
    const status = await client.status();
    const listed = status.services.map((service) => service.service);
    const unlisted = expectedServices.filter((service) => !listed.includes(service));
    if (status.status === 'ok' && unlisted.length === 0) return status;
    if (Date.now() > deadline) {
      const services = status.services.map((service) => `${service.service} ${service.status}`).join(', ');
      const missing = unlisted.length > 0 ? `; not reported at all: ${unlisted.join(', ')}` : '';
      throw new Error(
        `the platform is still ${status.status} after ${patience.timeoutMs / 1000} s: ${services}${missing}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, patience.intervalMs));
  }
}

async function roundTrip(): Promise<void> {
  let step = 'status';
  try {
    // The gateway can be ready before the broker answers on the bus: wait for every service to be up.
    const status = await waitForStatusOk();
    report(step, status.services.map((service) => `${service.service} ${service.status}`).join(', '));

    step = 'domains';
    const probes = await probeDomains(values.url ?? '', token, expectedServices);
    const failed = probes.filter((probe) => probe.status !== undefined && probe.status !== 200);
    report(
      step,
      probes.map((probe) => `GET ${probe.path} ${probe.status ?? 'not in the spec yet, skipped'}`).join(', ') || 'none',
    );
    if (failed.length > 0)
      throw new Error(
        failed.map((probe) => `GET ${probe.path} (${probe.service}) answered ${probe.status}`).join(', '),
      );

    step = 'create';
    const created = await client.instances.create(
      // An image the fake cloud lists (its default catalog): a create with any other is refused with 422.
      { provider: values.provider ?? 'fake', image: 'debian-12', env: 'compose-ci' },
      { idempotencyKey: randomUUID() },
    );
    report(step, describe(created));

    step = 'running';
    const running = await client.instances.waitFor(created.id, 'running', patience);
    if (!running.ip_address || !running.upstream_id)
      throw new Error(`running without an address: ${describe(running)}`);
    report(step, describe(running));

    step = 'delete';
    report(step, describe(await client.instances.delete(created.id)));

    step = 'terminated';
    report(step, describe(await client.instances.waitFor(created.id, 'terminated', patience)));
  } catch (error) {
    process.stderr.write(`round trip: ${step} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

void roundTrip();
