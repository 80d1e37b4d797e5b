import { describeLifecycle } from './contract/lifecycle';
import { describeRetries } from './contract/retries';
import { describeRouting } from './contract/routing';
import { describeRpc } from './contract/rpc';
import { describeTracing } from './contract/tracing';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { startTracing, type Tracing } from '@overcast/service-kit';
import type { BusHarness, TransportUnderTest } from './contract/harness';

/**
 * The one behaviour every transport must have. Each test gets a fresh harness (its own namespace on the broker),
 * so tests never see each other's queues, here or in other packages running at the same time.
 */
export function describeBusContract(transport: TransportUnderTest & { restart: boolean }): void {
  describe(`${transport.name} bus contract`, () => {
    let current: BusHarness | undefined;
    // Tracing on for the whole suite: every behaviour must hold with it, and the tracing tests read the spans.
    const exporter = new InMemorySpanExporter();
    let tracing: Tracing | null = null;
    beforeAll(() => {
      tracing = startTracing({ serviceName: 'bus-contract', exporter });
    });
    afterAll(async () => {
      await tracing?.shutdown();
    });
    const harness = (): BusHarness => {
      if (!current) throw new Error('no harness: used outside a test');
      return current;
    };
    beforeEach(async () => {
      current = await transport.setUp();
    });
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });

    describe('routing', () => describeRouting(harness));
    describe('retries and dead letters', () => describeRetries(harness));
    describe('rpc', () => describeRpc(harness));
    describe('tracing and metrics', () => describeTracing(harness, () => exporter));
    describe('lifecycle', () => describeLifecycle(harness, { restart: transport.restart }));
  });
}
