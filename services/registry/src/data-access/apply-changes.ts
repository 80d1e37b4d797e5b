import { createEnvelope } from '@overcast/contracts';
import { addToOutbox, qualified, sqlExecutor } from '@overcast/db';
import type { Changes } from '../domain/records';
import { announcePlacementChanges } from './placement-signals';
import type { RegistryPrismaTransaction } from './prisma-client';
import { Prisma } from '../generated/prisma/client';

/** Writes what a placement pass decided, inside its transaction. */
export async function applyChanges(
  tx: RegistryPrismaTransaction,
  schema: string,
  changes: Changes,
  now: Date,
): Promise<void> {
  if (changes.datacentersDown.length > 0) {
    await tx.datacenter.updateMany({
      where: { id: { in: changes.datacentersDown } },
      data: { state: 'down', updatedAt: now },
    });
  }
  // The agents whose nodes this adds or stops hear of it on commit (their WatchPlacements stream), not a heartbeat later.
  const stopping =
    changes.stoppedNodes.length === 0
      ? []
      : await tx.node.findMany({
          where: { id: { in: changes.stoppedNodes } },
          select: { datacenterId: true },
          distinct: ['datacenterId'],
        });
  await announcePlacementChanges(tx, schema, [
    ...changes.createdNodes.map((node) => node.datacenterId),
    ...stopping.map((node) => node.datacenterId),
  ]);
  if (changes.deletedNodes.length > 0) await tx.node.deleteMany({ where: { id: { in: changes.deletedNodes } } });
  for (const { deploymentId, entry } of changes.removedPlacements) {
    await tx.placement.delete({ where: { deploymentId_entry: { deploymentId, entry } } });
  }
  for (const { deploymentId, entry, datacenterId, preferredId } of changes.placements) {
    await tx.placement.upsert({
      where: { deploymentId_entry: { deploymentId, entry } },
      create: { deploymentId, entry, datacenterId, preferredId },
      update: { datacenterId, preferredId },
    });
  }
  if (changes.createdNodes.length > 0) {
    await tx.node.createMany({
      data: changes.createdNodes.map((node) => ({ ...node, createdAt: now, updatedAt: now })),
    });
  }
  if (changes.stoppedNodes.length > 0) {
    await tx.node.updateMany({
      where: { id: { in: changes.stoppedNodes } },
      data: { state: 'stopping', updatedAt: now },
    });
  }
  if (changes.startedNodes.length > 0) {
    // One statement for them all: an agent reports a failover's nodes in one heartbeat, and a round trip per node
    // was most of the time between their start and their being seen running.
    await tx.$executeRaw`UPDATE ${Prisma.raw(qualified(schema, 'nodes'))} AS node
      SET state = 'running', endpoint = started.endpoint, updated_at = ${now}
      FROM unnest(${changes.startedNodes.map((node) => node.id)}::uuid[],
                  ${changes.startedNodes.map((node) => node.endpoint)}::text[]) AS started(id, endpoint)
      WHERE node.id = started.id`;
  }
  for (const { id, state } of changes.deploymentStates) {
    await tx.deployment.update({ where: { id }, data: { state, updatedAt: now } });
  }
  if (changes.events.length > 0) {
    await tx.deploymentEvent.createMany({
      data: changes.events.map((event) => ({ ...event, data: event.data as Prisma.InputJsonObject, createdAt: now })),
    });
  }
  for (const { definition, payload } of changes.messages) {
    const parsed: unknown = definition.schema.parse(payload);
    await addToOutbox(sqlExecutor(tx, schema), 'event', createEnvelope(definition.type, definition.version, parsed));
  }
}
