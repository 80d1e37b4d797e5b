import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup } from 'node:dns';
import { request } from 'node:https';
import { isIP } from 'node:net';
import type { AddressPolicy } from './address-policy';
import { isAddressAllowed } from './address-policy';

export interface HttpsFetchLimits extends AddressPolicy {
  /** Largest body accepted; a longer one is cut off and refused. */
  maxBytes: number;
  /** From the request to the last byte. */
  timeoutMs: number;
  /** Extra trusted certificate authorities (PEM); the system's are used otherwise. */
  ca?: string | readonly string[];
}

/** The code of the error a request to an address the policy refuses rejects with (nothing was sent). */
export const addressRefused = 'ADDRESS_NOT_ALLOWED';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup that answers only the addresses the policy allows. The connection is made to what this returns,
 * so the check cannot be bypassed by a name that resolves differently on a second lookup (DNS rebinding).
 */
function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const allowed = addresses.filter(({ address }) => isAddressAllowed(address, policy));
      if (allowed.length === 0) {
        const found = addresses.map(({ address }) => address).join(', ');
        return callback(
          Object.assign(new Error(`${hostname} resolves to no public address (${found})`), { code: addressRefused }),
          [],
        );
      }
      if (options.all) return callback(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

export interface HttpsRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One https request under the limits, to an address the policy allows (checked on the addresses the name resolves
 * to, the ones connected to). Resolves with any status and the body read up to maxBytes; rejects with a message fit
 * for the user on a refusal, a body over the limit, a timeout or a network failure.
 */
export function requestHttps(
  href: string,
  limits: HttpsFetchLimits,
  outgoing: HttpsRequest = { method: 'GET' },
): Promise<{ status: number; body: string }> {
  const url = new URL(href);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Node connects to an IP literal without a lookup, so the policy is applied to it here.
  if (isIP(host) && !isAddressAllowed(host, limits)) {
    return Promise.reject(Object.assign(new Error(`${host} is not a public address`), { code: addressRefused }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (message: string, code?: string) => {
      clearTimeout(timer);
      call.destroy();
      reject(Object.assign(new Error(message), { code }));
    };
    const call = request(
      url,
      {
        method: outgoing.method,
        headers: outgoing.headers,
        lookup: guardedLookup(limits),
        ca: limits.ca as string | string[] | undefined,
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (Number(response.headers['content-length'] ?? 0) > limits.maxBytes) {
          return fail(`larger than ${limits.maxBytes} bytes`);
        }
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > limits.maxBytes) return fail(`larger than ${limits.maxBytes} bytes`);
          chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', (error) => fail(error.message));
      },
    );
    const timer = setTimeout(() => fail(`no complete answer within ${limits.timeoutMs} ms`), limits.timeoutMs);
    call.on('error', (error: NodeJS.ErrnoException) => fail(error.message, error.code));
    call.end(outgoing.body);
  });
}

/** GET an https URL under the limits; rejects with a message fit for the user on any refusal or failure. */
export async function fetchHttps(href: string, limits: HttpsFetchLimits): Promise<string> {
  const { status, body } = await requestHttps(href, limits);
  if (status >= 300 && status < 400) throw new Error(`answered ${status}: redirects are not followed`);
  if (status !== 200) throw new Error(`answered ${status}`);
  return body;
}
