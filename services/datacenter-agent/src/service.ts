import type { ComputeProvider } from '@overcast/providers';
import type { AgentSettings } from './config';
import { runningNodes, runPlacedNodes } from './domain/run-placed-nodes';
import { identityOf } from '@overcast/agent-protocol';
import { connectRegistry, type PlacementWatch } from './entry-points/registry-client';

export interface AgentLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
}

export interface DatacenterAgent {
  readonly datacenterId: string;
  start(): Promise<void>;
  /** Stops heartbeating; the nodes keep running (like a datacenter's machines when its agent restarts). */
  stop(): Promise<void>;
  /** One heartbeat and convergence now (tests, and the first one at start). */
  heartbeatNow(): Promise<void>;
}

/**
 * A datacenter's agent: every interval, and whenever the registry signals a placement change, it tells the registry
 * what it offers and which of its nodes run (over mutual TLS, with the datacenter's own certificate), and makes its
 * provider run exactly the nodes the answer lists.
 */
export function createDatacenterAgent(deps: {
  settings: AgentSettings;
  provider: ComputeProvider;
  logger: AgentLogger;
}): DatacenterAgent {
  const { settings, provider, logger } = deps;
  const identity = identityOf(settings.credentials.certificate);
  if (identity?.kind !== 'datacenter')
    throw new Error('DATACENTER_CERT_FILE is not a datacenter certificate of the registry (OU=datacenter)');
  const datacenterId = identity.id;
  // A heartbeat slower than its interval is as good as missed, but the first call of a channel pays its TLS
  // handshake: never less than 2 s.
  const registry = connectRegistry(
    settings.registryAddress,
    settings.credentials,
    Math.max(settings.heartbeatIntervalMs, 2_000),
  );
  let timer: NodeJS.Timeout | undefined;
  let rewatch: NodeJS.Timeout | undefined;
  let watch: PlacementWatch | undefined;
  let stopped = false;
  let inFlight: Promise<void> | undefined;
  let askedAgain = false;
  let failing = false;
  let watchFailing = false;

  async function heartbeat(): Promise<{ changed: boolean }> {
    const instances = await provider.listInstances();
    const response = await registry.heartbeat({
      datacenter_id: datacenterId,
      profiles: settings.profiles.map((profile) => ({
        name: profile.name,
        cpu: profile.cpu,
        memory_bytes: profile.memoryBytes,
        lifetime: profile.lifetime,
        price: profile.price,
        capacity: profile.capacity,
      })),
      running: runningNodes(instances),
    });
    return runPlacedNodes(provider, instances, response.nodes, (object, message) => logger.warn(object, message));
  }

  /**
   * A heartbeat, and at once another while it started or stopped nodes, so nodes placed here by a failover are
   * reported running as soon as they run (the failover's last leg), not an interval later.
   */
  async function heartbeatAndReport(): Promise<void> {
    for (let follow = 0; follow < 3; follow += 1) {
      if (!(await heartbeat()).changed) return;
    }
  }

  /**
   * One heartbeat at a time. Asked while one is in flight (the registry's signal, the timer), one more runs after
   * it: the one in flight may have left before the change it is asked for was committed.
   */
  const heartbeatNow = (): Promise<void> => {
    if (inFlight) {
      askedAgain = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        askedAgain = false;
        await heartbeatAndReport();
      } while (askedAgain && !stopped);
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  /** Heartbeats from the timer and the registry's signals: the first failure is logged, and the recovery. */
  function heartbeatAndLog(): Promise<void> {
    return heartbeatNow().then(
      () => {
        if (failing) logger.info({ datacenterId }, 'the registry answers again');
        failing = false;
      },
      (error: unknown) => {
        if (!failing) logger.warn({ err: error, datacenterId }, 'heartbeat failed; retrying every interval');
        failing = true;
      },
    );
  }

  function schedule(): void {
    timer = setTimeout(() => {
      void heartbeatAndLog().finally(() => {
        if (!stopped) schedule();
      });
    }, settings.heartbeatIntervalMs);
  }

  /**
   * Holds the registry's WatchPlacements stream open, heartbeating on each signal; reopened an interval after it
   * ends. Without it the agent still converges, an interval later: the timer's heartbeats never depend on it.
   */
  function watchPlacements(): void {
    const opened = registry.watchPlacements(datacenterId, () => void heartbeatAndLog());
    watch = opened;
    void opened.ended.then((error) => {
      if (stopped) return;
      if (error && !watchFailing)
        logger.warn({ err: error, datacenterId }, 'placement stream lost; reopening every interval');
      watchFailing = error !== null;
      rewatch = setTimeout(watchPlacements, settings.heartbeatIntervalMs);
    });
  }

  return {
    datacenterId,
    heartbeatNow,
    async start() {
      await heartbeatNow().catch((error: unknown) =>
        logger.warn({ err: error, datacenterId }, 'first heartbeat failed; retrying every interval'),
      );
      schedule();
      watchPlacements();
      logger.info({ datacenterId, registry: settings.registryAddress }, 'datacenter agent started');
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(rewatch);
      watch?.cancel();
      await inFlight?.catch(() => undefined);
      registry.close();
    },
  };
}
