import { backoffDelayMs } from '@overcast/pacing';
import type { DomainLogger } from './logger';
import type { BrokerStore, Clock } from './ports';
import type { ProviderDirectory } from './provider-directory';
import { convergeInstance } from './converge-instance';
import { announceStateChange } from './state-change';

export interface ConvergenceFollowUpDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  clock: Clock;
  logger: DomainLogger;
  /** First look after about this long; each further look waits twice as long (jittered), up to `maxDelayMs`. */
  firstDelayMs: number;
  /** The refresh interval: past it the periodic sweep is as quick as another look. */
  maxDelayMs: number;
  /** Looks per instance before leaving it to the sweep. */
  maxLooks: number;
}

export interface ConvergenceFollowUp {
  /** Looks at the instance again soon, in the background; never throws, never waits. */
  schedule(instanceId: string): void;
  /** Cancels every pending look and waits for the looks in flight. */
  stop(): Promise<void>;
}

/** The state a provider moves an instance out of on its own (`creating` is the provision job's): worth another look. */
const settlingStates = new Set(['starting']);

/**
 * A best-effort, in-process nudge after a create the provider answered with `starting`: instead of waiting
 * for the next refresh sweep, ask the provider about this one instance a few times, backing off. A look
 * converges the row exactly as the sweep does (conditional update and outbox event in one transaction).
 * The sweep stays the guarantee: a lost look (crash, stop, provider error) only means waiting for it.
 */
export function createConvergenceFollowUp(deps: ConvergenceFollowUpDeps): ConvergenceFollowUp {
  const { store, logger } = deps;
  const backoff = { baseDelayMs: deps.firstDelayMs, maxDelayMs: deps.maxDelayMs };
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  /** True when the row is still settling and deserves another look. */
  async function look(instanceId: string): Promise<boolean> {
    const row = await store.instances.findById(instanceId);
    if (!row || !settlingStates.has(row.state)) return false;
    const provider = deps.providers.find(row.provider);
    if (!provider) return false;
    const observedAt = deps.clock.now();
    const observed = await provider.getInstance(instanceId);
    // Not found is the sweep's to judge (it knows when a listing is older than the row).
    if (!observed) return true;
    const changes = convergeInstance(row, observed, observedAt, observedAt);
    if (!changes) return true;
    // Conditional on the state we read: a worker or the sweep that moved the row meanwhile wins.
    const next = await store.transition(row, changes, (outbox, updated) =>
      announceStateChange(outbox, row.state, updated),
    );
    return next !== null && next !== 'duplicate' && settlingStates.has(next.state);
  }

  /** Plans the `lookNumber`-th look (1-based): each one that finds the instance still settling plans the next. */
  function plan(instanceId: string, lookNumber: number): void {
    if (stopped || lookNumber > deps.maxLooks) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        const running = look(instanceId)
          .then((again) => {
            if (again) plan(instanceId, lookNumber + 1);
          })
          .catch((error: unknown) => {
            logger.warn({ instanceId, err: error }, 'follow-up look failed; the refresh sweep will converge it');
          })
          .finally(() => inFlight.delete(running));
        inFlight.add(running);
      },
      backoffDelayMs(backoff, lookNumber),
    );
    timer.unref();
    timers.add(timer);
  }

  return {
    schedule(instanceId) {
      plan(instanceId, 1);
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
