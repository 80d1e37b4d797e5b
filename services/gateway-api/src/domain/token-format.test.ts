import { formatToken, generateSecretHex, parseToken } from './token-format';
import { generateSalt, hashSecret, secretMatches } from './token-hashing';

describe('token format', () => {
  it('reads `<id>-<32 hex>` and normalises the hex to lowercase', () => {
    expect(parseToken('12-B180349FAF82840B43EBF27E730F894F')).toEqual({
      id: 12,
      secretHex: 'b180349faf82840b43ebf27e730f894f',
    });
  });

  it.each([
    'abc-def',
    '12',
    '12-',
    '-b180349faf82840b43ebf27e730f894f',
    '012-b180349faf82840b43ebf27e730f894f',
    '12-b180349faf82840b43ebf27e730f894',
    '12-b180349faf82840b43ebf27e730f894fz',
    '99999999999-b180349faf82840b43ebf27e730f894f',
  ])('refuses %s before any lookup', (raw) => {
    expect(parseToken(raw)).toBeNull();
  });

  it('formats what it parses', () => {
    const secret = generateSecretHex();
    expect(secret).toMatch(/^[0-9a-f]{32}$/);
    expect(parseToken(formatToken(7, secret))).toEqual({ id: 7, secretHex: secret });
  });
});

describe('token hashing', () => {
  it('matches only the secret that was hashed, with the salt it was hashed with', async () => {
    const secret = generateSecretHex();
    const salt = generateSalt();
    const hash = await hashSecret(secret, salt);
    expect(hash).toHaveLength(32);
    await expect(secretMatches(secret, salt, hash)).resolves.toBe(true);
    await expect(secretMatches(generateSecretHex(), salt, hash)).resolves.toBe(false);
    await expect(secretMatches(secret, generateSalt(), hash)).resolves.toBe(false);
  });
});
