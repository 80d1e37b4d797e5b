import { allocateAddress } from './address-pool';

describe('allocateAddress', () => {
  it('hands out the lowest free loopback address', () => {
    expect(allocateAddress('127.100', [])).toBe('127.100.0.1');
    expect(allocateAddress('127.100', ['127.100.0.1', '127.100.0.3'])).toBe('127.100.0.2');
  });

  it('moves to the next block after .254, never using .0 or .255', () => {
    const firstBlock = Array.from({ length: 254 }, (_, index) => `127.100.0.${index + 1}`);

    expect(allocateAddress('127.100', firstBlock)).toBe('127.100.1.1');
  });
});
