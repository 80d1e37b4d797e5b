import { randomBytes } from 'node:crypto';
import { createSecretBox } from './secret-box';

describe('secret box', () => {
  const key = randomBytes(32).toString('hex');

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('#include https://x:s3cret@gw/init-scripts/1', 'instance-build:1');
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed, 'instance-build:1')).toBe('#include https://x:s3cret@gw/init-scripts/1');
  });

  it('refuses to open with another key or for another row', () => {
    const sealed = createSecretBox(key).seal('secret', 'instance-build:1');
    expect(() => createSecretBox(randomBytes(32).toString('hex')).open(sealed, 'instance-build:1')).toThrow();
    expect(() => createSecretBox(key).open(sealed, 'instance-build:2')).toThrow();
  });

  it('names the variable when the key is the wrong size', () => {
    expect(() => createSecretBox('abcd', 'OVERCAST_ENCRYPTION_KEY')).toThrow('OVERCAST_ENCRYPTION_KEY');
  });
});
