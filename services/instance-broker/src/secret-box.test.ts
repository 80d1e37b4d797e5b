import { randomBytes } from 'node:crypto';
import { createSecretBox } from './secret-box';

describe('secret box', () => {
  const key = randomBytes(32).toString('hex');

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('#include https://x:s3cret@gw/init-scripts/1');
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed)).toBe('#include https://x:s3cret@gw/init-scripts/1');
  });

  it('refuses to open with another key', () => {
    const sealed = createSecretBox(key).seal('secret');
    expect(() => createSecretBox(randomBytes(32).toString('hex')).open(sealed)).toThrow();
  });

  it('refuses a key of the wrong length', () => {
    expect(() => createSecretBox('abcd')).toThrow('32 bytes');
  });
});
