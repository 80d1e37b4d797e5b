import { GateRefused, ScryptGate, type ScryptGateOptions } from './scrypt-gate';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

const gateWith = (options: Partial<ScryptGateOptions> = {}) =>
  new ScryptGate({ concurrency: 1, maxQueued: 100, perClient: 100, failuresPerSecond: 100, ...options });

const source = (client: string, tokenId = 1) => ({ client, tokenId });
const mismatch = () => Promise.resolve(false);
const match = () => Promise.resolve(true);

/** Settles every verification, counting how each ended (refusals by reason). */
async function outcomes(runs: Promise<boolean>[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const result of await Promise.allSettled(runs)) {
    const name =
      result.status === 'fulfilled'
        ? String(result.value)
        : result.reason instanceof GateRefused
          ? result.reason.reason
          : 'error';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

describe('ScryptGate', () => {
  it('never runs more than its concurrency at once', async () => {
    const gate = gateWith({ concurrency: 2 });
    let running = 0;
    let highest = 0;
    const work = async () => {
      running += 1;
      highest = Math.max(highest, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return true;
    };
    await Promise.all(Array.from({ length: 8 }, (_, index) => gate.run(source(`client-${index}`, index), work)));
    expect(highest).toBe(2);
  });

  it('refuses work beyond its queue without starting it', async () => {
    const gate = gateWith({ maxQueued: 1 });
    const blocker = deferred<boolean>();
    const first = gate.run(source('a', 1), () => blocker.promise);
    const second = gate.run(source('b', 2), match);
    const started = jest.fn(match);
    await expect(gate.run(source('c', 3), started)).rejects.toEqual(new GateRefused('busy', 1));
    expect(started).not.toHaveBeenCalled();
    blocker.resolve(true);
    await Promise.all([first, second]);
  });

  it('tells in advance whether it would refuse, without taking a place', async () => {
    const gate = gateWith({ maxQueued: 1, perClient: 1 });
    const blocker = deferred<boolean>();
    expect(gate.refusalFor(source('a', 1))).toBeUndefined();
    const first = gate.run(source('a', 1), () => blocker.promise);
    expect(gate.refusalFor(source('a', 2))?.reason).toBe('client_busy');
    expect(gate.refusalFor(source('b', 1))?.reason).toBe('busy');
    expect(gate.heldBy('a')).toBe(1);
    expect(gate.refusalFor(source('b', 2))).toBeUndefined();
    const second = gate.run(source('b', 2), match);
    expect(gate.refusalFor(source('c', 3))?.reason).toBe('busy');
    blocker.resolve(true);
    await Promise.all([first, second]);
    expect(gate.refusalFor(source('a', 1))).toBeUndefined();
    expect(gate.heldBy('a')).toBe(0);
  });

  it('limits one client to its share of the places while others still get in', async () => {
    const gate = gateWith({ perClient: 2 });
    const blocker = deferred<boolean>();
    const held = [gate.run(source('greedy', 1), () => blocker.promise), gate.run(source('greedy', 2), match)];
    await expect(gate.run(source('greedy', 3), match)).rejects.toEqual(new GateRefused('client_busy', 1));
    const polite = gate.run(source('polite', 4), match);
    blocker.resolve(true);
    await expect(polite).resolves.toBe(true);
    await Promise.all(held);
    await expect(gate.run(source('greedy', 5), match)).resolves.toBe(true);
  });

  it('reserves the failure allowance before scrypt runs, so 40 concurrent wrong secrets from 40 clients run it at most the allowance', async () => {
    const gate = gateWith({ failuresPerSecond: 2, now: () => 0 });
    const hasher = jest.fn(mismatch);
    // Every one against a different token id: no source's share is in the way, only the allowance.
    const counts = await outcomes(Array.from({ length: 40 }, (_, i) => gate.run(source(`10.0.0.${i}`, i), hasher)));
    expect(hasher).toHaveBeenCalledTimes(2);
    expect(counts).toEqual({ false: 2, busy: 38 });
  });

  it('gives the reservation back when the secret matched: valid tokens never spend the allowance', async () => {
    const clock = { now: 0 };
    const gate = gateWith({ failuresPerSecond: 2, now: () => clock.now });
    for (let i = 0; i < 20; i += 1) await expect(gate.run(source(`client-${i}`, i), match)).resolves.toBe(true);
    const counts = await outcomes(
      Array.from({ length: 10 }, (_, i) => gate.run(source(`stranger-${i}`, 100 + i), mismatch)),
    );
    expect(counts).toEqual({ false: 2, busy: 8 });
  });

  /** A gate on a fake clock whose waits move the clock on. */
  function gateOnClock(options: Partial<ScryptGateOptions> = {}) {
    const clock = { now: 0 };
    const gate = gateWith({ now: () => clock.now, sleep: async (ms) => void (clock.now += ms), ...options });
    return { clock, gate };
  }

  it('lets one token id spend only its share: while its burst runs, a unit is always left for any other token', async () => {
    const { clock, gate } = gateOnClock({ failuresPerSecond: 2, perClient: 4 });
    const otherTokenRefused: (string | undefined)[] = [];
    const hasher = jest.fn(() => {
      otherTokenRefused.push(gate.refusalFor(source('10.0.1.1', 8))?.reason);
      return mismatch();
    });
    const burst = await outcomes(Array.from({ length: 40 }, (_, i) => gate.run(source(`10.0.0.${i}`, 7), hasher)));
    // Four places for one token id; they run one after another, each after the allowance is back to two units.
    expect(burst).toEqual({ false: 4, busy: 36 });
    expect(otherTokenRefused).toEqual([undefined, undefined, undefined, undefined]);
    expect(hasher.mock.calls.length).toBeLessThanOrEqual(2 * (1 + clock.now / 1000));
    const burstEndedAt = clock.now;
    await expect(gate.run(source('10.0.1.1', 8), match)).resolves.toBe(true);
    expect(clock.now).toBe(burstEndedAt);
  });

  it('lets one client address spend only its share, whatever token ids it tries', async () => {
    const { clock, gate } = gateOnClock({ failuresPerSecond: 2, perClient: 4 });
    const otherClientRefused: (string | undefined)[] = [];
    const hasher = jest.fn(() => {
      otherClientRefused.push(gate.refusalFor(source('10.0.1.1', 99))?.reason);
      return mismatch();
    });
    const counts = await outcomes(Array.from({ length: 40 }, (_, i) => gate.run(source('10.0.0.1', i), hasher)));
    expect(counts).toEqual({ false: 4, client_busy: 36 });
    expect(otherClientRefused).toEqual([undefined, undefined, undefined, undefined]);
    expect(hasher.mock.calls.length).toBeLessThanOrEqual(2 * (1 + clock.now / 1000));
  });

  it('makes a client that just failed wait for a second unit instead of refusing its next token', async () => {
    const { clock, gate } = gateOnClock({ failuresPerSecond: 2 });
    await expect(gate.run(source('localhost', 1), mismatch)).resolves.toBe(false);
    expect(gate.refusalFor(source('localhost', 2))).toBeUndefined();
    await expect(gate.run(source('localhost', 2), match)).resolves.toBe(true);
    expect(clock.now).toBe(500);
  });

  it('makes a suspect source wait out its interval when the allowance never holds two units', async () => {
    const { clock, gate } = gateOnClock({ failuresPerSecond: 1 });
    await expect(gate.run(source('a', 1), mismatch)).resolves.toBe(false);
    await expect(gate.run(source('b', 2), match)).rejects.toEqual(new GateRefused('busy', 1));
    await expect(gate.run(source('a', 3), match)).resolves.toBe(true);
    expect(clock.now).toBe(2000);
  });

  it("verifies one client's valid tokens one after another instead of refusing them", async () => {
    const gate = gateWith({ failuresPerSecond: 2, perClient: 4 });
    await expect(
      Promise.all(Array.from({ length: 4 }, (_, i) => gate.run(source('office-nat', i), match))),
    ).resolves.toEqual([true, true, true, true]);
  });

  it('refills the allowance continuously, never beyond one second of it, and says when to retry', async () => {
    const clock = { now: 0 };
    const gate = gateWith({ failuresPerSecond: 2, now: () => clock.now });
    await outcomes([gate.run(source('a', 1), mismatch), gate.run(source('b', 2), mismatch)]);
    expect(gate.refusalFor(source('c', 3))).toEqual(new GateRefused('busy', 1));
    clock.now = 499;
    expect(gate.refusalFor(source('c', 3))?.reason).toBe('busy');
    clock.now = 500;
    expect(gate.refusalFor(source('c', 3))).toBeUndefined();
    clock.now = 60_000;
    const counts = await outcomes(Array.from({ length: 5 }, (_, i) => gate.run(source(`d${i}`, 10 + i), mismatch)));
    expect(counts).toEqual({ false: 2, busy: 3 });
  });

  it('spends nothing when scrypt itself fails', async () => {
    const gate = gateWith({ failuresPerSecond: 1, now: () => 0 });
    await expect(gate.run(source('a', 1), () => Promise.reject(new Error('thread pool gone')))).rejects.toThrow(
      'thread pool gone',
    );
    await expect(gate.run(source('a', 1), match)).resolves.toBe(true);
  });
});
