import { GateRefused, ScryptGate } from './scrypt-gate';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('ScryptGate', () => {
  it('never runs more than its concurrency at once', async () => {
    const gate = new ScryptGate({ concurrency: 2, maxQueued: 10, perClient: 10, failuresPerSecond: 100 });
    let running = 0;
    let highest = 0;
    const work = async () => {
      running += 1;
      highest = Math.max(highest, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 8 }, (_, index) => gate.run(`client-${index}`, work)));
    expect(highest).toBe(2);
  });

  it('refuses work beyond its queue without starting it', async () => {
    const gate = new ScryptGate({ concurrency: 1, maxQueued: 1, perClient: 10, failuresPerSecond: 100 });
    const blocker = deferred();
    const first = gate.run('a', () => blocker.promise);
    const second = gate.run('b', () => Promise.resolve());
    const started = jest.fn(() => Promise.resolve());
    await expect(gate.run('c', started)).rejects.toEqual(new GateRefused('busy'));
    expect(started).not.toHaveBeenCalled();
    blocker.resolve();
    await Promise.all([first, second]);
  });

  it('tells in advance whether it would refuse a client, without taking a slot', async () => {
    const gate = new ScryptGate({ concurrency: 1, maxQueued: 1, perClient: 1, failuresPerSecond: 100 });
    const blocker = deferred();
    expect(gate.refusalFor('a')).toBeUndefined();
    const first = gate.run('a', () => blocker.promise);
    expect(gate.refusalFor('a')).toBe('client_busy');
    expect(gate.heldBy('a')).toBe(1);
    expect(gate.refusalFor('b')).toBeUndefined();
    const second = gate.run('b', () => Promise.resolve());
    expect(gate.refusalFor('c')).toBe('busy');
    blocker.resolve();
    await Promise.all([first, second]);
    expect(gate.refusalFor('a')).toBeUndefined();
    expect(gate.refusalFor('c')).toBeUndefined();
    expect(gate.heldBy('a')).toBe(0);
  });

  it('limits one client to its share of the slots while others still get in', async () => {
    const gate = new ScryptGate({ concurrency: 1, maxQueued: 10, perClient: 2, failuresPerSecond: 100 });
    const blocker = deferred();
    const held = [gate.run('greedy', () => blocker.promise), gate.run('greedy', () => Promise.resolve())];
    await expect(gate.run('greedy', () => Promise.resolve())).rejects.toEqual(new GateRefused('client_busy'));
    const polite = gate.run('polite', () => Promise.resolve('done'));
    blocker.resolve();
    await expect(polite).resolves.toBe('done');
    await Promise.all(held);
    await expect(gate.run('greedy', () => Promise.resolve('again'))).resolves.toBe('again');
  });

  it('refuses new verifications once failures used up their allowance, until it refills', async () => {
    let now = 0;
    const gate = new ScryptGate({ concurrency: 1, maxQueued: 10, perClient: 10, failuresPerSecond: 2, now: () => now });
    // Successful verifications spend nothing.
    for (let index = 0; index < 20; index += 1) await gate.run('valid', () => Promise.resolve(true));
    expect(gate.refusalFor('anyone')).toBeUndefined();
    gate.recordFailure();
    gate.recordFailure();
    expect(gate.refusalFor('anyone')).toBe('busy');
    await expect(gate.run('anyone', () => Promise.resolve(true))).rejects.toEqual(new GateRefused('busy'));
    now += 499;
    expect(gate.refusalFor('anyone')).toBe('busy');
    now += 1;
    expect(gate.refusalFor('anyone')).toBeUndefined();
    // It never saves up more than one second's allowance.
    now += 60_000;
    gate.recordFailure();
    gate.recordFailure();
    expect(gate.refusalFor('anyone')).toBe('busy');
  });
});
