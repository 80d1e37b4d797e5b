import { createWakeableDelay } from './wakeable-delay';

describe('a wakeable delay', () => {
  it('ends early when woken', async () => {
    const delay = createWakeableDelay();
    const waiting = delay.wait(60_000);
    delay.wake();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('remembers a wake that came while nobody waited, once', async () => {
    const delay = createWakeableDelay();
    delay.wake();
    await expect(delay.wait(60_000)).resolves.toBeUndefined();

    let ended = false;
    const next = delay.wait(30).then(() => (ended = true));
    expect(ended).toBe(false);
    await next;
    expect(ended).toBe(true);
  });
});
