import { generateBuildSecret, verifyBuildSecret } from './build-secret';

describe('build secret', () => {
  it('verifies the secret it generated and nothing else', () => {
    const { secret, salt, hash } = generateBuildSecret();
    expect(verifyBuildSecret(secret, salt, hash)).toBe(true);
    expect(verifyBuildSecret(`${secret}x`, salt, hash)).toBe(false);
    expect(verifyBuildSecret('', salt, hash)).toBe(false);
  });

  it('never stores the secret itself', () => {
    const { secret, salt, hash } = generateBuildSecret();
    expect(Buffer.from(hash).toString('hex')).not.toContain(secret);
    expect(Buffer.from(salt).toString('hex')).not.toContain(secret);
  });
});
