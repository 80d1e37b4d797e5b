import { ProviderError } from '../../core/compute';
import type { EnsureLoadBalancerInput, LoadBalancerListener, LoadBalancerRef, ServiceKey } from '../container-platform';
import { loadBalancerNameOf } from '../names';
import type { BalancerProtocol, ServiceBalancer } from './service-balancer';
import { createServiceBalancer } from './service-balancer';
import type { ServiceTasks } from './service-tasks';

interface Entry {
  balancer: ServiceBalancer;
  ref: LoadBalancerRef;
  input: EnsureLoadBalancerInput;
}

/** What a district remembers of a balancer: enough to start it again on the same address after a restart. */
export interface SavedBalancer {
  input: EnsureLoadBalancerInput;
  address: string;
}

/** A district's load balancers, one per service, each on its own loopback address. */
export function createDistrictBalancers(options: {
  balancerProtocol: BalancerProtocol;
  allocateAddress(): string;
  reserveAddress(address: string): void;
  releaseAddress(address: string): void;
  serviceOf(key: ServiceKey): ServiceTasks | undefined;
  warn(message: string): void;
}) {
  /** Pending while a balancer starts listening, so two concurrent ensures start one. */
  const balancers = new Map<string, Promise<Entry>>();
  const saved = new Map<string, SavedBalancer>();

  function start(input: EnsureLoadBalancerInput, address: string): Promise<Entry> {
    const name = loadBalancerNameOf(input);
    const [first] = input.portMappings;
    if (!first)
      throw new ProviderError('local: a load balancer needs a port mapping', { retryable: false, code: 'INVALID' });
    const balancer = createServiceBalancer({
      address,
      portMappings: input.portMappings,
      protocol: options.balancerProtocol,
      targets: () =>
        (options.serviceOf(input)?.healthyTasks() ?? []).map((task) => ({
          address: task.address,
          portFor: (lbPort) => task.definition.portMappings.find((mapping) => mapping.lbPort === lbPort)?.hostPort,
        })),
    });
    const ref = {
      name,
      dnsName: address,
      recordName: null,
      containerName: input.service,
      containerPort: first.containerPort,
    };
    const started = balancer.start().then(() => ({ balancer, ref, input }));
    balancers.set(name, started);
    saved.set(name, { input, address });
    started.catch(() => {
      if (balancers.get(name) !== started) return;
      balancers.delete(name);
      saved.delete(name);
      options.releaseAddress(address);
    });
    return started;
  }

  const settled = (name: string) => balancers.get(name)?.catch(() => undefined);

  /** Find the service's balancer or start it; a start already under way is waited for, never doubled. */
  async function ensure(input: EnsureLoadBalancerInput): Promise<LoadBalancerRef> {
    const name = loadBalancerNameOf(input);
    const pending = balancers.get(name);
    // Nothing awaited between the look-up and the start: two concurrent calls cannot both start one.
    if (!pending) return (await start(input, options.allocateAddress())).ref;
    const existing = await pending.catch(() => undefined);
    // That start failed (and took itself out of the map): try afresh.
    if (!existing) return ensure(input);
    await existing.balancer.reconfigure(input.portMappings);
    saved.set(name, { input, address: existing.balancer.address });
    return { ...existing.ref, containerPort: input.portMappings[0]?.containerPort ?? existing.ref.containerPort };
  }

  return {
    ensure,
    /** Where a service's tasks listen to be balanced by the kernel (reuse-port balancers only). */
    sharedAddressOf(key: ServiceKey): string | undefined {
      if (options.balancerProtocol !== 'reuse-port') return undefined;
      return saved.get(loadBalancerNameOf(key))?.address;
    },
    /** Start a balancer a previous run made, on its address; settles once it listens (or could not). */
    restore(balancer: SavedBalancer): Promise<void> {
      options.reserveAddress(balancer.address);
      return start(balancer.input, balancer.address).then(
        () => undefined,
        (error: unknown) =>
          options.warn(`local: could not restore load balancer on ${balancer.address}: ${(error as Error).message}`),
      );
    },
    async describe(
      key: ServiceKey,
    ): Promise<{ name: string; dnsName: string; listeners: LoadBalancerListener[] } | null> {
      const entry = await settled(loadBalancerNameOf(key));
      return entry ? { name: entry.ref.name, dnsName: entry.ref.dnsName, listeners: entry.balancer.listeners() } : null;
    },
    async remove(key: ServiceKey): Promise<void> {
      const name = loadBalancerNameOf(key);
      const entry = await settled(name);
      balancers.delete(name);
      saved.delete(name);
      if (!entry) return;
      await entry.balancer.close();
      options.releaseAddress(entry.balancer.address);
    },
    saved: () => Object.fromEntries(saved),
    async close(): Promise<void> {
      await Promise.all([...balancers.keys()].map(async (name) => (await settled(name))?.balancer.close()));
    },
  };
}
