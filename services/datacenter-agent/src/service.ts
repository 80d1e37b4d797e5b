import type { ComputeProvider } from '@overcast/providers';
import type { AgentSettings } from './config';
import { runningNodes, runPlacedNodes } from './domain/run-placed-nodes';
import { identityOf } from '@overcast/agent-protocol';
import { connectRegistry } from './entry-points/registry-client';

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
 * A datacenter's agent: every interval it tells the registry what it offers and which of its nodes run (over
 * mutual TLS, with the datacenter's own certificate), and makes its provider run exactly the nodes the answer lists.
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
  let inFlight: Promise<void> | undefined;
  let failing = false;

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

  const heartbeatNow = (): Promise<void> => {
    inFlight ??= heartbeat()
      .then(() => undefined)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  /**
   * The timer's heartbeat: when it started or stopped nodes, the next one goes at once rather than an interval later,
   * so nodes placed here by a failover are reported running as soon as they run (the failover's last leg).
   */
  async function heartbeatAndReport(): Promise<void> {
    for (let follow = 0; follow < 3; follow += 1) {
      let changed = false;
      inFlight ??= heartbeat()
        .then((result) => {
          changed = result.changed;
        })
        .finally(() => {
          inFlight = undefined;
        });
      await inFlight;
      if (!changed) return;
    }
  }

  function schedule(): void {
    timer = setTimeout(() => {
      heartbeatAndReport()
        .then(() => {
          if (failing) logger.info({ datacenterId }, 'the registry answers again');
          failing = false;
        })
        .catch((error: unknown) => {
          if (!failing) logger.warn({ err: error, datacenterId }, 'heartbeat failed; retrying every interval');
          failing = true;
        })
        .finally(() => {
          if (timer !== undefined) schedule();
        });
    }, settings.heartbeatIntervalMs);
  }

  return {
    datacenterId,
    heartbeatNow,
    async start() {
      await heartbeatNow().catch((error: unknown) =>
        logger.warn({ err: error, datacenterId }, 'first heartbeat failed; retrying every interval'),
      );
      schedule();
      logger.info({ datacenterId, registry: settings.registryAddress }, 'datacenter agent started');
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await inFlight?.catch(() => undefined);
      registry.close();
    },
  };
}
