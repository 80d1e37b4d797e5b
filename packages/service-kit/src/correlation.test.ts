import type { MessageContext } from '@overcast/contracts';
import { correlation } from './correlation';

/** The bus's context hook, as packages/messaging takes it. */
interface BusContextHook {
  current(): MessageContext | undefined;
  run<T>(context: MessageContext, fn: () => Promise<T>): Promise<T>;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('correlation', () => {
  it('satisfies the bus context hook', () => {
    const hook: BusContextHook = correlation;
    expect(typeof hook.run).toBe('function');
  });

  it('has no context outside of a run', () => {
    expect(correlation.current()).toBeUndefined();
  });

  it('keeps the context across awaits inside a run and returns the result', async () => {
    const result = await correlation.run({ correlationId: 'req-1' }, async () => {
      await tick();
      return correlation.current()?.correlationId;
    });
    expect(result).toBe('req-1');
    expect(correlation.current()).toBeUndefined();
  });

  it('keeps concurrent runs apart', async () => {
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        correlation.run({ correlationId: id }, async () => {
          await tick();
          return correlation.current()?.correlationId;
        }),
      ),
    );
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('lets a nested run (a message handled on behalf of a request) take over, then restores the outer one', async () => {
    await correlation.run({ correlationId: 'outer' }, async () => {
      const inner = await correlation.run({ correlationId: 'outer', causationId: 'message-1' }, () =>
        Promise.resolve(correlation.current()),
      );
      expect(inner).toEqual({ correlationId: 'outer', causationId: 'message-1' });
      expect(correlation.current()).toEqual({ correlationId: 'outer' });
    });
  });

  it('runs synchronous callbacks in the context too', () => {
    expect(correlation.runSync({ correlationId: 'sync' }, () => correlation.current()?.correlationId)).toBe('sync');
  });
});
