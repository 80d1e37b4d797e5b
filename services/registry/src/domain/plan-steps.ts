import type { PlanStep } from '@overcast/contracts';
import { desiredNodes } from './offers';
import type { Changes, DeploymentRecord } from './records';

/** What a planned pass does per service and entry, as `PUT ?dry_run=true` answers it. */
export function planSteps(current: DeploymentRecord, next: DeploymentRecord, changes: Changes): PlanStep[] {
  const keys = new Map<string, { service: string; entry: string }>();
  for (const { service, entry } of [...desiredNodes(current.config), ...desiredNodes(next.config)]) {
    keys.set(`${service}\u0000${entry}`, { service, entry });
  }
  const stopped = new Set(changes.stoppedNodes);
  return [...keys.values()].map(({ service, entry }) => {
    const from = current.placements.find((p) => p.entry === entry)?.datacenterId ?? null;
    const placed = changes.placements.find((p) => p.deploymentId === next.id && p.entry === entry);
    const to = placed ? placed.datacenterId : (next.placements.find((p) => p.entry === entry)?.datacenterId ?? null);
    const ofThis = (node: { service: string; entry: string }) => node.service === service && node.entry === entry;
    const created = changes.createdNodes.filter(ofThis).length;
    const live = current.nodes.filter((n) => ofThis(n) && n.state !== 'stopping' && n.datacenterId === from).length;
    const move = from !== null && to !== null && from !== to ? Math.min(created, live) : 0;
    const removed = current.nodes.filter((n) => ofThis(n) && stopped.has(n.id)).length;
    return {
      service,
      entry,
      add: created - move,
      remove: Math.max(0, removed - move),
      move,
      fromDatacenterId: from,
      toDatacenterId: to,
    };
  });
}
