import { ProviderError } from '../core/compute';

const hostsPerBlock = 254;
const capacity = 256 * hostsPerBlock;

/** The n-th loopback address under the prefix: 127.100.0.1 … 127.100.0.254, 127.100.1.1 …, skipping .0 and .255. */
function addressAt(prefix: string, index: number): string {
  return `${prefix}.${Math.floor(index / hostsPerBlock)}.${(index % hostsPerBlock) + 1}`;
}

/** Lowest loopback address no live instance holds. */
export function allocateAddress(prefix: string, inUse: Iterable<string>): string {
  const taken = new Set(inUse);
  for (let index = 0; index < capacity; index += 1) {
    const address = addressAt(prefix, index);
    if (!taken.has(address)) return address;
  }
  throw new ProviderError(`no free loopback address under ${prefix}.0.0/16`, {
    retryable: true,
    code: 'ADDRESS_POOL_EXHAUSTED',
  });
}
