import { randomUUID } from 'node:crypto';
import {
  AppError,
  datacenterStateChangedEvent,
  type datacenterHeartbeatRpc,
  type RequestOf,
  type ResponseOf,
} from '@overcast/contracts';
import { indexOffers } from './match-datacenters';
import { planDeployment } from './plan-deployment';
import type { Clock, RegistryStore } from './ports';
import { hasChanges, noChanges } from './records';

export interface ReconcileSettings {
  /** A datacenter whose last heartbeat is older than this is down (its entries are placed elsewhere). */
  heartbeatTimeoutMs: number;
  failbackAfterMs: number;
}

export function createReconcileUseCases(deps: { store: RegistryStore; clock: Clock; settings: ReconcileSettings }) {
  const { store, clock, settings } = deps;
  return {
    /**
     * One pass keeping desired = running for every deployment: datacenters that missed their heartbeats go down,
     * their entries are placed on another datacenter satisfying them, missing nodes start, extra ones stop, and
     * entries move back to their first datacenter once it has stayed up (old nodes stop only as new ones run).
     */
    async reconcile(): Promise<{ changed: boolean }> {
      return store.inPlacement(async (tx) => {
        const now = clock.now();
        const world = await tx.world();
        const changes = noChanges();
        for (const offer of world.offers) {
          if (offer.state === 'up' && now.getTime() - offer.lastHeartbeatAt.getTime() > settings.heartbeatTimeoutMs) {
            offer.state = 'down';
            changes.datacentersDown.push(offer.id);
            changes.messages.push({
              definition: datacenterStateChangedEvent,
              payload: { id: offer.id, tenantId: offer.tenantId, from: 'up', to: 'down' },
            });
          }
        }
        const index = indexOffers(world.offers);
        const planSettings = { now, failbackAfterMs: settings.failbackAfterMs, newId: randomUUID };
        for (const deployment of await tx.deployments()) {
          planDeployment(deployment, index, world.usage, planSettings, changes);
        }
        if (!hasChanges(changes)) return { changed: false };
        await tx.apply(changes);
        return { changed: true };
      });
    },

    /**
     * A datacenter's heartbeat: it is up (again); the nodes it reports run (cluster.node.created the first time),
     * nodes it no longer runs are gone (cluster.node.down; the reconcile replaces them). The answer is what it
     * should run.
     */
    async heartbeat(
      request: RequestOf<typeof datacenterHeartbeatRpc>,
    ): Promise<ResponseOf<typeof datacenterHeartbeatRpc>> {
      return store.inPlacement(async (tx) => {
        const now = clock.now();
        const marked = await tx.markHeartbeat(request.datacenterId, now);
        if (!marked) throw new AppError('not_found', 'datacenter not found');
        const changes = noChanges();
        if (marked.wasDown) {
          changes.messages.push({
            definition: datacenterStateChangedEvent,
            payload: { id: request.datacenterId, tenantId: marked.tenantId, from: 'down', to: 'up' },
          });
        }
        const reported = new Map(request.running.map((node) => [node.id, node.endpoint ?? null]));
        const nodes = await tx.nodesOn(request.datacenterId);
        const event = (type: string, node: (typeof nodes)[number]) =>
          changes.events.push({
            deploymentId: node.deploymentId,
            tenantId: node.tenantId,
            type,
            data: { node: node.id, service: node.service, entry: node.entry, datacenter: node.datacenterId },
          });
        for (const node of nodes) {
          const running = reported.has(node.id);
          if (node.state === 'starting' && running) {
            changes.startedNodes.push({ id: node.id, endpoint: reported.get(node.id) ?? null });
            event('cluster.node.created', node);
          } else if (node.state === 'running' && !running) {
            changes.deletedNodes.push(node.id);
            event('cluster.node.down', node);
          } else if (node.state === 'stopping' && !running) {
            changes.deletedNodes.push(node.id);
          }
        }
        await tx.apply(changes);
        const gone = new Set(changes.deletedNodes);
        return {
          nodes: nodes
            .filter((node) => node.state !== 'stopping' && !gone.has(node.id))
            .map(({ id, deploymentId, service, image }) => ({ id, deploymentId, service, image })),
        };
      });
    },
  };
}

export type ReconcileUseCases = ReturnType<typeof createReconcileUseCases>;
