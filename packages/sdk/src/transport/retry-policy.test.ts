import { backoffDelayMs, isRetrySafe, retryAfterMs } from './retry-policy';

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP-date, and ignores what it cannot read', () => {
    const now = Date.parse('2026-12-04T08:00:00Z');
    const after = (value: string) => retryAfterMs(new Headers({ 'retry-after': value }), now);
    expect(after('3')).toBe(3000);
    expect(after('Fri, 04 Dec 2026 08:00:05 GMT')).toBe(5000);
    expect(after('Fri, 04 Dec 2026 07:59:00 GMT')).toBe(0);
    expect(after('soon')).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });

  it('draws each delay below a ceiling that doubles from the first up to the maximum', () => {
    const settings = { initialDelayMs: 500, maxDelayMs: 3000 };
    expect([0, 1, 2, 3].map((retry) => backoffDelayMs(settings, retry, () => 0.999))).toEqual([500, 999, 1998, 2997]);
    expect(backoffDelayMs(settings, 2, () => 0.5)).toBe(1000);
  });

  it('treats reads, deletes and keyed creates as safe to repeat, and nothing else', () => {
    const request = (method: string, headers: Record<string, string> = {}) =>
      new Request('http://overcast.test/x', { method, headers });
    expect(['GET', 'DELETE', 'PUT'].map((method) => isRetrySafe(request(method)))).toEqual([true, true, true]);
    expect(isRetrySafe(request('POST'))).toBe(false);
    expect(isRetrySafe(request('PATCH'))).toBe(false);
    expect(isRetrySafe(request('POST', { 'Idempotency-Key': 'k' }))).toBe(true);
  });
});
