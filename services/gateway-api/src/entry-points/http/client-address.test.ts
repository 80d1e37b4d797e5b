import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { clientAddressUnder } from './client-address';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddressUnder', () => {
  const loopback = proxyaddr.compile('loopback');
  const nobody = proxyaddr.compile([]);

  it('takes the address the trusted proxies vouch for, and the socket when none is trusted', () => {
    expect(clientAddressUnder(request('127.0.0.1', '203.0.113.7'), loopback)).toBe('203.0.113.7');
    expect(clientAddressUnder(request('127.0.0.1', '203.0.113.7'), nobody)).toBe('127.0.0.1');
    // A client cannot choose its address by prepending to the chain: only the hop the proxy added counts.
    expect(clientAddressUnder(request('127.0.0.1', '198.51.100.1, 203.0.113.7'), loopback)).toBe('203.0.113.7');
    expect(clientAddressUnder(request('192.0.2.9', '203.0.113.7'), loopback)).toBe('192.0.2.9');
  });

  it('answers the same chain the same way request after request, per trust setting', () => {
    for (let i = 0; i < 3; i += 1) {
      expect(clientAddressUnder(request('127.0.0.1', '203.0.113.8'), loopback)).toBe('203.0.113.8');
      expect(clientAddressUnder(request('127.0.0.1', '203.0.113.8'), nobody)).toBe('127.0.0.1');
    }
  });

  it('groups IPv6 clients by /64 and unwraps IPv4-mapped addresses', () => {
    expect(clientAddressUnder(request('::1', '2001:db8:0:7::1'), loopback)).toBe('2001:db8:0:7::/64');
    expect(clientAddressUnder(request('::1', '2001:DB8:0:7:ffff::2'), loopback)).toBe('2001:db8:0:7::/64');
    expect(clientAddressUnder(request('::ffff:192.0.2.4'), nobody)).toBe('192.0.2.4');
  });

  it('keeps answering right after many distinct chains', () => {
    for (let i = 0; i < 12_000; i += 1)
      clientAddressUnder(request('127.0.0.1', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`), loopback);
    expect(clientAddressUnder(request('127.0.0.1', '203.0.113.9'), loopback)).toBe('203.0.113.9');
  });
});
