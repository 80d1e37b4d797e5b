import { uniqueName } from '@overcast/test-kit';
import { createMemoryBroker, createMemoryBus } from '../src';
import type { Bus } from '../src';
import { describeBusContract } from './bus-contract';
import { stopAll } from './contract/harness';

describeBusContract({
  name: 'memory',
  // In-process: nothing to restart, and nothing survives a process restart by design.
  restart: false,
  setUp: async () => {
    const broker = createMemoryBroker();
    const namespace = uniqueName('memory');
    const buses: Bus[] = [];
    return {
      async createBus(options = {}) {
        const bus = createMemoryBus({ broker, namespace, ...options });
        await bus.start();
        buses.push(bus);
        return bus;
      },
      async publishRaw(kind, type, body) {
        for (const queue of broker.route(`${namespace}.${kind === 'command' ? 'commands' : 'events'}`, type)) {
          queue.enqueue({ body, attempt: 1, redelivered: false });
        }
      },
      async cleanup() {
        await stopAll(buses);
        broker.close();
      },
    };
  },
});
