import { defineCatalog } from '@overcast/contracts';
import { createLogCapture, createLogger } from '@overcast/service-kit';
import { waitFor } from '@overcast/test-kit';
import { createMemoryBus } from '../src';
import { ShipOrder } from './contract/catalog';

const shipping = defineCatalog(ShipOrder);

describe('what the bus logs about failures', () => {
  it("logs a failing handler's error under err, a refused message's cause under reason", async () => {
    const capture = createLogCapture();
    const logger = createLogger({ service: 'bus-test', level: 'info', destination: capture.destination });
    const bus = createMemoryBus({ logger, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    await bus.start();
    try {
      await bus.consume('shipping', shipping, {
        'test.ship_order': async () => {
          throw new RangeError('no parcel that heavy', { cause: new Error('scale offline') });
        },
      });
      await bus.publish(ShipOrder, { orderId: 'o-1' });
      await waitFor('the message dead-lettered', () =>
        capture.lines.some((line) => line.msg === 'message dead-lettered'),
      );
      const retried = capture.lines.find((line) => line.msg === 'handler failed; retrying later');
      const dead = capture.lines.find((line) => line.msg === 'message dead-lettered');
      for (const line of [retried, dead]) {
        expect(line).toMatchObject({
          err: { type: 'RangeError', message: 'no parcel that heavy', cause: { message: 'scale offline' } },
        });
        expect(line).not.toHaveProperty('error');
      }

      await bus.publishEnvelope('command', {
        id: '00000000-0000-4000-8000-000000000001',
        type: ShipOrder.type,
        version: ShipOrder.version + 1,
        occurredAt: new Date().toISOString(),
        correlationId: 'c-1',
        causationId: null,
        payload: { orderId: 'o-2' },
      });
      await waitFor('the unknown version refused', () =>
        capture.lines.some((line) => line.msg === 'message dead-lettered' && line.reason !== undefined),
      );
      const refused = capture.lines.find((line) => line.msg === 'message dead-lettered' && line.reason !== undefined);
      expect(refused?.reason).toMatch(/is not the v1 this consumer understands/);
      expect(refused).not.toHaveProperty('err');
    } finally {
      await bus.stop();
    }
  });
});
