import type { Request } from 'express';

/**
 * The client's address as rate limits and failure budgets see it: `req.ip`, which honours the
 * `trust proxy` setting (TRUST_PROXY), so behind a load balancer it is the caller, not the balancer.
 * IPv6 clients are grouped by /64: one host usually owns a whole /64 and could rotate within it.
 */
export function clientAddressOf(req: Request): string {
  // Asked by the failure budget, the token strategy and the rate limit: `req.ip` re-parses X-Forwarded-For each time.
  let address = addresses.get(req);
  if (address === undefined) addresses.set(req, (address = addressOf(req)));
  return address;
}

const addresses = new WeakMap<Request, string>();

function addressOf(req: Request): string {
  const address = (req.ip ?? req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
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
