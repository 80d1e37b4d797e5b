import { ProviderError } from '../core/compute';
import { createSeededRandom } from './seeded-random';

export type FakeMethod =
  | 'createInstance'
  | 'terminateInstance'
  | 'getInstance'
  | 'listInstances'
  | 'ensureSshSecurityGroup'
  | 'findNewestImage';

/**
 * `error`: the call fails before doing anything. `lost-response`: the call does its work, then fails as if
 * the answer never arrived (the case idempotency exists for).
 */
export type FaultKind = 'error' | 'lost-response';

export interface FaultOptions {
  /** Probability (0..1) that any call fails with a retryable error before doing anything. */
  failureRate?: number;
  /** Probability (0..1) that a create or terminate does its work and then fails retryably. */
  lostResponseRate?: number;
  seed?: number;
}

/**
 * Decides, deterministically, which calls fail and how: scripted faults first, then seeded rates. `mutates`
 * names the methods a lost response applies to (those that change something).
 */
export function createFaultPlan<Method extends string>(options: FaultOptions, mutates: (method: Method) => boolean) {
  const random = createSeededRandom(options.seed ?? 1);
  const scripted: { method: Method; kind: FaultKind; retryable: boolean }[] = [];

  return {
    script(method: Method, kind: FaultKind, times: number, retryable: boolean) {
      for (let index = 0; index < times; index += 1) scripted.push({ method, kind, retryable });
    },
    /** The fault for this call, if any (consumes a scripted one). */
    next(method: Method): { kind: FaultKind; retryable: boolean } | undefined {
      const index = scripted.findIndex((fault) => fault.method === method);
      if (index >= 0) return scripted.splice(index, 1)[0];
      if (options.failureRate && random() < options.failureRate) return { kind: 'error', retryable: true };
      if (mutates(method) && options.lostResponseRate && random() < options.lostResponseRate)
        return { kind: 'lost-response', retryable: true };
      return undefined;
    },
    randomBetween(min: number, max: number): number {
      return min + Math.floor(random() * (max - min + 1));
    },
  };
}

export function faultError(method: string, kind: FaultKind, retryable: boolean): ProviderError {
  const message =
    kind === 'lost-response'
      ? `fake ${method}: response lost after the work was done`
      : `fake ${method}: injected failure`;
  return new ProviderError(message, {
    retryable,
    code: kind === 'lost-response' ? 'FAKE_LOST_RESPONSE' : 'FAKE_FAILURE',
  });
}
