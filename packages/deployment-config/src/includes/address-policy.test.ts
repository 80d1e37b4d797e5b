import { isAddressAllowed } from './address-policy';

describe('which addresses an include may be fetched from', () => {
  test.each(['93.184.216.34', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946'])('public %s: allowed', (address) => {
    expect(isAddressAllowed(address, {})).toBe(true);
  });

  test.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not an address',
  ])('%s: refused', (address) => {
    expect(isAddressAllowed(address, {})).toBe(false);
  });

  test('an allowed network admits its addresses only', () => {
    const policy = { allowedNetworks: ['10.0.0.0/8', '::1/128'] };
    expect(isAddressAllowed('10.9.9.9', policy)).toBe(true);
    expect(isAddressAllowed('::ffff:10.9.9.9', policy)).toBe(true);
    expect(isAddressAllowed('::1', policy)).toBe(true);
    expect(isAddressAllowed('192.168.0.1', policy)).toBe(false);
    expect(isAddressAllowed('127.0.0.1', policy)).toBe(false);
  });
});
