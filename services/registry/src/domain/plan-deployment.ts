import { deploymentPlacedEvent } from '@overcast/contracts';
import { addUsage, chooseDatacenter, fitEntry, type EntryFit, type OfferIndex } from './match-datacenters';
import { desiredNodes, requirementsOf, type Usage } from './offers';
import type { Changes, DeploymentRecord, NodeRecord, PlacementRecord } from './records';

export interface PlanSettings {
  now: Date;
  /** How long a returned datacenter must stay up before nodes move back to it. */
  failbackAfterMs: number;
  newId: () => string;
}

function isUp(index: OfferIndex, id: string | null): id is string {
  return id !== null && index.byId.get(id)?.state === 'up';
}

/** Drops nodes on datacenters that are gone or down (they are lost, cluster.node.down), freeing their capacity. */
function dropLostNodes(deployment: DeploymentRecord, index: OfferIndex, usage: Usage, changes: Changes): NodeRecord[] {
  const kept: NodeRecord[] = [];
  for (const node of deployment.nodes) {
    if (isUp(index, node.datacenterId)) {
      kept.push({ ...node });
      continue;
    }
    changes.deletedNodes.push(node.id);
    addUsage(usage, node.datacenterId, node.profile, -1);
    if (node.state !== 'stopping') {
      changes.events.push({
        deploymentId: deployment.id,
        tenantId: deployment.tenantId,
        type: 'cluster.node.down',
        data: { node: node.id, service: node.service, entry: node.entry, datacenter: node.datacenterId },
      });
    }
  }
  return kept;
}

/** Nodes this entry holds on a datacenter, per datacenter profile: capacity it may reuse there. */
function heldOn(nodes: readonly NodeRecord[], entry: string, datacenterId: string): Map<string, number> {
  const held = new Map<string, number>();
  for (const node of nodes) {
    if (node.entry === entry && node.datacenterId === datacenterId && node.state !== 'stopping') {
      held.set(node.profile, (held.get(node.profile) ?? 0) + 1);
    }
  }
  return held;
}

/**
 * One deployment brought toward its desired state, as changes to write: each datacenter entry placed (again when
 * its datacenter is down, back on the first choice once that has stayed up), each service's nodes added on the
 * entry's datacenter, nodes elsewhere stopped only as nodes on the target run (never below desired), and the
 * deployment's state and events. Mutates `usage` as it places.
 */
export function planDeployment(
  deployment: DeploymentRecord,
  index: OfferIndex,
  usage: Usage,
  settings: PlanSettings,
  changes: Changes,
): void {
  const event = (type: string, data: Record<string, unknown>) =>
    changes.events.push({ deploymentId: deployment.id, tenantId: deployment.tenantId, type, data });
  let nodes = dropLostNodes(deployment, index, usage, changes);
  const placements = new Map<string, PlacementRecord>(deployment.placements.map((p) => [p.entry, { ...p }]));
  const fits = new Map<string, EntryFit>();
  const requirements = requirementsOf(deployment.config);

  for (const requirement of requirements) {
    const placement = placements.get(requirement.entry) ?? {
      entry: requirement.entry,
      datacenterId: null,
      preferredId: null,
    };
    const before = { ...placement };
    if (placement.datacenterId !== null && !isUp(index, placement.datacenterId)) {
      event('cluster.down', { entry: requirement.entry, datacenter: placement.datacenterId });
      placement.datacenterId = null;
    }
    const preferred = placement.preferredId;
    if (
      placement.datacenterId !== null &&
      preferred !== null &&
      preferred !== placement.datacenterId &&
      isUp(index, preferred)
    ) {
      const offer = index.byId.get(preferred);
      const stayedUp =
        offer !== undefined && settings.now.getTime() - offer.upSince.getTime() >= settings.failbackAfterMs;
      const fit =
        stayedUp && offer
          ? fitEntry(offer, requirement, usage, heldOn(nodes, requirement.entry, preferred))
          : undefined;
      if (fit) {
        placement.datacenterId = preferred;
        fits.set(requirement.entry, fit);
      }
    }
    if (placement.datacenterId === null) {
      const others = new Set(
        [...placements.values()].flatMap((p) =>
          p.entry !== requirement.entry && p.datacenterId ? [p.datacenterId] : [],
        ),
      );
      const fit = chooseDatacenter(index, requirement, usage, others);
      if (fit) {
        placement.datacenterId = fit.datacenter.id;
        placement.preferredId ??= fit.datacenter.id;
        fits.set(requirement.entry, fit);
        if (before.preferredId === null)
          event('cluster.created', { entry: requirement.entry, datacenter: fit.datacenter.id });
      } else if (before.datacenterId !== null || before.preferredId === null) {
        event('deploy.failure', { entry: requirement.entry, reason: 'no datacenter satisfies this entry' });
      }
    }
    if (
      placement.datacenterId !== before.datacenterId &&
      placement.datacenterId !== null &&
      before.preferredId !== null
    ) {
      event('placement.changed', {
        entry: requirement.entry,
        from: before.datacenterId,
        to: placement.datacenterId,
        reason: placement.datacenterId === preferred ? 'failback' : 'failover',
      });
    }
    if (
      placement.datacenterId !== before.datacenterId ||
      placement.preferredId !== before.preferredId ||
      !deployment.placements.some((p) => p.entry === requirement.entry)
    ) {
      changes.placements.push({ deploymentId: deployment.id, ...placement });
    }
    placements.set(requirement.entry, placement);
  }
  const moved = changes.placements.filter((p) => p.deploymentId === deployment.id);
  if (moved.length > 0) {
    changes.messages.push({
      definition: deploymentPlacedEvent,
      payload: {
        id: deployment.id,
        tenantId: deployment.tenantId,
        placements: [...placements.values()].map(({ entry, datacenterId }) => ({ entry, datacenterId })),
      },
    });
  }
  for (const placement of deployment.placements) {
    if (!requirements.some((r) => r.entry === placement.entry)) {
      changes.removedPlacements.push({ deploymentId: deployment.id, entry: placement.entry });
    }
  }

  const desired = desiredNodes(deployment.config);
  const stop = (node: NodeRecord) => {
    changes.stoppedNodes.push(node.id);
    node.state = 'stopping';
  };
  // Nodes of services or entries the deployment no longer declares.
  for (const node of nodes) {
    if (node.state !== 'stopping' && !desired.some((d) => d.service === node.service && d.entry === node.entry))
      stop(node);
  }
  let allRunning = true;
  for (const want of desired) {
    const target = placements.get(want.entry)?.datacenterId ?? null;
    const live = nodes.filter((n) => n.service === want.service && n.entry === want.entry && n.state !== 'stopping');
    const onTarget = live.filter((n) => n.datacenterId === target);
    const elsewhere = live.filter((n) => n.datacenterId !== target);
    // Starting nodes go first: a running node is worth keeping.
    const byStartingFirst = (a: NodeRecord, b: NodeRecord) =>
      Number(a.state === 'running') - Number(b.state === 'running');
    if (target !== null && onTarget.length < want.nodes) {
      const offer = index.byId.get(target);
      const fit =
        fits.get(want.entry) ??
        (offer
          ? fitEntry(offer, requirementOf(requirements, want.entry), usage, heldOn(nodes, want.entry, target))
          : undefined);
      const profile = fit?.profiles.get(want.profile);
      if (profile) {
        for (let i = onTarget.length; i < want.nodes; i += 1) {
          const node: NodeRecord = {
            id: settings.newId(),
            deploymentId: deployment.id,
            service: want.service,
            entry: want.entry,
            datacenterId: target,
            profile,
            state: 'starting',
            endpoint: null,
          };
          changes.createdNodes.push(node);
          addUsage(usage, target, profile, 1);
          nodes = [...nodes, node];
        }
      }
    }
    for (const extra of onTarget.sort(byStartingFirst).slice(want.nodes)) stop(extra);
    const runningOnTarget = onTarget.filter((n) => n.state === 'running').length;
    // Failover and failback: the old datacenter's nodes stay until as many run on the target.
    const keepElsewhere = Math.max(0, want.nodes - runningOnTarget);
    for (const extra of elsewhere.sort(byStartingFirst).slice(0, Math.max(0, elsewhere.length - keepElsewhere)))
      stop(extra);
    const running = live.filter((n) => n.state === 'running').length;
    if (running < want.nodes) allRunning = false;
  }

  if (allRunning && deployment.state !== 'active') {
    changes.deploymentStates.push({ id: deployment.id, state: 'active' });
    if (deployment.state === 'deploying') event('deploy.complete', { version: deployment.version });
  } else if (!allRunning && deployment.state === 'active') {
    changes.deploymentStates.push({ id: deployment.id, state: 'degraded' });
  }
}

function requirementOf(requirements: ReturnType<typeof requirementsOf>, entry: string) {
  const requirement = requirements.find((r) => r.entry === entry);
  if (!requirement) throw new Error(`entry ${entry} has no requirement`);
  return requirement;
}
