import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import proxyaddr from 'proxy-addr';

export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The client's address as rate limits and failure budgets see it: what `req.ip` gives, which honours the
 * `trust proxy` setting (TRUST_PROXY), so behind a load balancer it is the caller, not the balancer.
 * IPv6 clients are grouped by /64: one host usually owns a whole /64 and could rotate within it.
 */
export function clientAddressOf(req: Request): string {
  return clientAddressUnder(req, req.app.get('trust proxy fn') as TrustProxy);
}

/**
 * The same for a request express has not seen yet (the gateway's front door), under the trust function express
 * uses (`app.get('trust proxy fn')`). proxy-addr parses every address of the chain with ipaddr.js (a few µs, asked
 * by the front door and the token strategy of every request that presents credentials); a client sends the same
 * chain request after request, so the answer is remembered per chain. Per trust function: gateways in one
 * process may trust different proxies. Bounded: a client inventing chains only empties it now and then.
 */
export function clientAddressUnder(req: IncomingMessage, trust: TrustProxy): string {
  let chains = chainsByTrust.get(trust);
  if (!chains) chainsByTrust.set(trust, (chains = new Map()));
  const chain = `${req.socket.remoteAddress ?? ''}|${req.headers['x-forwarded-for'] ?? ''}`;
  let address = chains.get(chain);
  if (address === undefined) {
    if (chains.size >= maxChainsRemembered) chains.clear();
    chains.set(chain, (address = grouped(proxyaddr(req, trust))));
  }
  return address;
}

const chainsByTrust = new WeakMap<TrustProxy, Map<string, string>>();
const maxChainsRemembered = 10_000;

function grouped(raw: string): string {
  const address = raw.replace(/^::ffff:/, '');
  if (!address.includes(':')) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

function expandIpv6(address: string): string[] | null {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  if (tail === undefined && left.length !== 8) return null;
  const missing = 8 - left.length - right.length;
  if (missing < 0) return null;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => group.toLowerCase() || '0');
}
