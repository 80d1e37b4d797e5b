import { defineCatalog } from '@overcast/contracts';
import { createPostgresBus } from '../../src';
import { ShipOrder } from '../contract/catalog';

/**
 * A process whose consumer takes messages and never finishes them, to be killed by a test. STUCK=hang awaits
 * forever (the process stays healthy: its leases are renewed, its lock held); STUCK=spin blocks the event loop, as a
 * wedged process would: its connections stay open but it renews nothing. Prints `claimed <orderId>` per message.
 */
async function main(): Promise<void> {
  const environment = process.env;
  const bus = createPostgresBus({
    url: String(environment.BUS_URL),
    schema: String(environment.BUS_SCHEMA),
    namespace: String(environment.BUS_NAMESPACE),
    leaseMs: Number(environment.BUS_LEASE_MS ?? 30_000),
  });
  await bus.start();
  const claimed: string[] = [];
  await bus.consume(
    'shipping',
    defineCatalog(ShipOrder),
    {
      'test.ship_order': async ({ orderId }) => {
        claimed.push(orderId);
        process.stdout.write(`claimed ${orderId}\n`);
        if (environment.STUCK === 'spin' && claimed.length === Number(environment.BUS_PREFETCH)) {
          for (;;) {
            // Wedged: no timer, no I/O, no lease renewal from here on.
          }
        }
        await new Promise<never>(() => undefined);
      },
    },
    { prefetch: Number(environment.BUS_PREFETCH) },
  );
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
