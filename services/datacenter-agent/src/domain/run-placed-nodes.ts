import type { PlacedNode } from '@overcast/agent-protocol';
import type { ComputeProvider, ProviderInstance } from '@overcast/providers';

export interface RunningNode {
  id: string;
  endpoint: string;
}

/** What the datacenter runs now: its provider's instances that are up, each answering on its address. */
export function runningNodes(instances: ProviderInstance[]): RunningNode[] {
  return instances
    .filter((instance) => instance.state === 'running')
    .map((instance) => ({ id: instance.id, endpoint: instance.ipAddress ?? '' }));
}

/**
 * Converges the provider to the registry's answer: a placed node without an instance is created (the node id is
 * the provider's idempotency token, so a retried create adopts the first), an instance no longer placed is
 * terminated. Each failure is the next heartbeat's to retry; one bad node never stops the others.
 */
export async function runPlacedNodes(
  provider: ComputeProvider,
  instances: ProviderInstance[],
  placed: PlacedNode[],
  warn: (object: object, message: string) => void,
): Promise<{ changed: boolean }> {
  const live = new Map(
    instances.filter((instance) => instance.state !== 'terminated').map((instance) => [instance.id, instance]),
  );
  const wanted = new Set(placed.map((node) => node.id));
  const work = [
    ...placed
      .filter((node) => !live.has(node.id))
      .map((node) =>
        provider
          .createInstance({
            id: node.id,
            image: node.image,
            instanceType: 'standard',
            tags: { deployment: node.deployment_id, service: node.service },
          })
          .then(() => undefined),
      ),
    ...[...live.values()]
      .filter((instance) => !wanted.has(instance.id) && instance.state !== 'terminating')
      .map((instance) => provider.terminateInstance(instance.id)),
  ];
  for (const outcome of await Promise.allSettled(work)) {
    if (outcome.status === 'rejected')
      warn({ err: outcome.reason as unknown }, 'a node change failed; retried on the next heartbeat');
  }
  return { changed: work.length > 0 };
}
