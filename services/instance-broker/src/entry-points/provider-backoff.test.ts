import { createProviderBackoff } from './provider-backoff';

describe('provider backoff', () => {
  it('skips a failing provider for interval × failures, capped, and forgets on success', () => {
    let now = 0;
    const backoff = createProviderBackoff(1000, 2500, () => now);
    expect(backoff.isDue('aws')).toBe(true);
    expect(backoff.failed('aws')).toBe(1000);
    expect(backoff.isDue('aws')).toBe(false);
    expect(backoff.isDue('gce')).toBe(true);
    now = 1000;
    expect(backoff.isDue('aws')).toBe(true);
    expect(backoff.failed('aws')).toBe(2000);
    expect(backoff.failed('aws')).toBe(2500);
    backoff.succeeded('aws');
    expect(backoff.isDue('aws')).toBe(true);
  });
});
