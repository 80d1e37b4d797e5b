import type { Principal } from './principal';
import { TokenCache } from './token-cache';

const principal = (tokenId: number): Principal => ({ tokenId, tenantId: 'tenant-a', role: 'developer' });
const hash = (byte: number) => Buffer.alloc(32, byte);

function cacheAt(clock: { now: number }, overrides: Partial<ConstructorParameters<typeof TokenCache>[0]> = {}) {
  return new TokenCache({
    verifiedTtlMs: 1000,
    failedTtlMs: 5000,
    maxEntries: 100,
    now: () => clock.now,
    ...overrides,
  });
}

describe('TokenCache', () => {
  it('keys tokens by a keyed hash that differs between processes and never contains the token', () => {
    const clock = { now: 0 };
    const first = cacheAt(clock);
    const second = cacheAt(clock);
    const token = '1-00112233445566778899aabbccddeeff';
    expect(first.keyOf(token)).toBe(first.keyOf(token));
    expect(first.keyOf(token)).not.toBe(second.keyOf(token));
    expect(first.keyOf(token)).not.toContain('00112233');
  });

  it('forgets a verified token when its TTL ends', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    cache.rememberVerified('k', principal(1), hash(1));
    clock.now = 999;
    expect(cache.findVerified('k')).toEqual(principal(1));
    clock.now = 1000;
    expect(cache.findVerified('k')).toBeUndefined();
  });

  it('drops every cached form of a revoked token at once', () => {
    const cache = cacheAt({ now: 0 });
    cache.rememberVerified('form-a', principal(1), hash(1));
    cache.rememberVerified('form-b', principal(1), hash(1));
    cache.rememberVerified('other', principal(2), hash(2));
    cache.dropTokenId(1);
    expect(cache.findVerified('form-a')).toBeUndefined();
    expect(cache.findVerified('form-b')).toBeUndefined();
    expect(cache.findVerified('other')).toEqual(principal(2));
  });

  it('keeps the proof of a verified token past its TTL, for the stored hash it matched only, until it is revoked', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    cache.rememberVerified('k', principal(1), hash(1));
    clock.now = 60_000;
    expect(cache.findVerified('k')).toBeUndefined();
    expect(cache.hasProof('k')).toBe(true);
    expect(cache.isProven('k', 1, hash(1))).toBe(true);
    // A row whose hash changed, or another token id, proves nothing.
    expect(cache.isProven('k', 1, hash(9))).toBe(false);
    expect(cache.isProven('k', 2, hash(1))).toBe(false);
    expect(cache.isProven('unknown', 1, hash(1))).toBe(false);
    cache.dropTokenId(1);
    expect(cache.hasProof('k')).toBe(false);
  });

  it('remembers failures for their own TTL', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    cache.rememberFailed('bad');
    clock.now = 4999;
    expect(cache.hasFailedRecently('bad')).toBe(true);
    clock.now = 5000;
    expect(cache.hasFailedRecently('bad')).toBe(false);
  });

  it('evicts the oldest entries beyond its bound, so a flood of distinct tokens cannot grow it', () => {
    const cache = cacheAt({ now: 0 }, { maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) cache.rememberFailed(key);
    expect(['a', 'b', 'c', 'd', 'e'].map((key) => cache.hasFailedRecently(key))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });
});
