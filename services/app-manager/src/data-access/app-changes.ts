import { randomUUID } from 'node:crypto';
import { advanceDeployCommand } from '@overcast/contracts';
import { AppError } from '@overcast/contracts';
import type { AppChange, SavedChange } from '../domain/ports';
import type { AppDraft, PortMappingRecord, ReleaseSpec } from '../domain/records';
import type { SecretBox } from '../domain/secret-box';
import type { Prisma } from '../generated/prisma/client';
import { claimHostPorts, type HostPortClaim } from './host-ports';
import { enqueue } from './outbox';
import type { AppManagerTransaction } from './prisma-client';
import { envAssociatedData, releaseEnvAssociatedData } from './rows';

export function isUniqueViolation(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return code === 'P2002' || code === '23505';
}

/** How many host ports `draft` needs: one per port mapping that has none yet. */
export function newHostPortCount(draft: AppDraft): number {
  return draft.services.reduce(
    (sum, service) => sum + service.portMappings.filter((mapping) => mapping.host_port === undefined).length,
    0,
  );
}

type SavedService = ReleaseSpec['services'][number];

/** A port to insert, and which mapping asked for it. */
interface MappingClaim extends HostPortClaim {
  service: string;
  mapping: number;
}

/** Gives each mapping without a host port the next reserved candidate; the claims are what must be inserted. */
function assignHostPorts(
  draft: AppDraft,
  idOf: (service: string) => string,
  reserved: number[],
): { services: SavedService[]; claims: MappingClaim[] } {
  const candidates = [...reserved];
  const claims: MappingClaim[] = [];
  const services = draft.services.map((service) => ({
    ...service,
    portMappings: service.portMappings.map((mapping, index): Required<PortMappingRecord> => {
      if (mapping.host_port !== undefined) return { ...mapping, host_port: mapping.host_port };
      const hostPort = candidates.shift();
      if (hostPort === undefined) throw new Error('Fewer host ports reserved than the draft needs.');
      claims.push({ serviceId: idOf(service.name), hostPort, service: service.name, mapping: index });
      return { ...mapping, host_port: hostPort };
    }),
  }));
  return { services, claims };
}

const serviceFields = (service: SavedService) => ({
  cpu: service.cpu,
  memory: service.memory,
  command: service.command,
  public: service.public,
  scale: service.scale,
  schedule: service.schedule,
  portMappings: service.portMappings as unknown as Prisma.InputJsonArray,
});

async function insertApp(tx: AppManagerTransaction, change: AppChange, appId: string): Promise<void> {
  const { draft } = change;
  try {
    await tx.app.create({
      data: {
        id: appId,
        tenantId: change.tenantId,
        districtId: change.districtId,
        name: draft.name,
        release: 1,
        imageName: draft.imageName,
        imageTag: draft.imageTag,
        beforeDeploy: draft.beforeDeploy,
        slackUrl: draft.slackUrl,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', `An app named ${draft.name} exists already.`, {
        details: [{ path: 'name', message: 'is taken' }],
      });
    throw error;
  }
}

/** The app row moved to the next release; its services read, to match the draft's by name. */
async function advanceApp(tx: AppManagerTransaction, change: AppChange, appId: string) {
  const { draft } = change;
  const updated = await tx.app.update({
    where: { id: appId },
    data: {
      imageName: draft.imageName,
      imageTag: draft.imageTag,
      beforeDeploy: draft.beforeDeploy,
      slackUrl: draft.slackUrl,
      release: { increment: 1 },
      updatedAt: new Date(),
    },
    select: { release: true, services: { select: { id: true, name: true, schedule: true } } },
  });
  return { release: updated.release, existing: new Map(updated.services.map((row) => [row.name, row])) };
}

/**
 * One transaction, inserts batched: the app row, its services, their host ports (`reserved` candidates, from
 * reserveHostPorts before the transaction), its sealed env vars, the next release (spec + sealed env) and its
 * deploy, whose advance job is in the outbox. No district-wide lock: an update locks only its own app row.
 */
export async function saveAppChange(
  tx: AppManagerTransaction,
  schema: string,
  secrets: SecretBox,
  change: AppChange,
  reserved: number[],
): Promise<SavedChange> {
  const { draft } = change;
  const appId = change.appId ?? randomUUID();
  let release = 1;
  let existing = new Map<string, { id: string; schedule: string | null }>();
  if (change.appId === null) await insertApp(tx, change, appId);
  else ({ release, existing } = await advanceApp(tx, change, appId));

  const ids = new Map(draft.services.map((service) => [service.name, existing.get(service.name)?.id ?? randomUUID()]));
  const idOf = (name: string) => ids.get(name) ?? '';
  const assigned = assignHostPorts(draft, idOf, reserved);
  const fresh = assigned.services.filter((service) => !existing.has(service.name));
  if (fresh.length > 0)
    await tx.appService.createMany({
      data: fresh.map((service) => ({ id: idOf(service.name), appId, name: service.name, ...serviceFields(service) })),
    });
  for (const service of assigned.services) {
    const before = existing.get(service.name);
    if (!before) continue;
    await tx.appService.update({
      where: { id: before.id },
      // A changed schedule starts over from the deploy that applies it.
      data: { ...serviceFields(service), ...(before.schedule !== service.schedule ? { nextRunAt: null } : {}) },
    });
  }
  const replaced = await claimHostPorts(tx, schema, change.districtId, assigned.claims);
  const services = replaced.size === 0 ? assigned.services : await swapHostPorts(tx, assigned, idOf, replaced);

  if (change.appId !== null) await tx.envVar.deleteMany({ where: { appId } });
  const keys = Object.keys(draft.env);
  if (keys.length > 0)
    await tx.envVar.createMany({
      data: keys.map((key) => ({
        appId,
        key,
        sealedValue: secrets.seal(draft.env[key] ?? '', envAssociatedData(appId, key)),
      })),
    });

  const spec: ReleaseSpec = {
    imageName: draft.imageName,
    imageTag: draft.imageTag,
    beforeDeploy: draft.beforeDeploy,
    services,
  };
  await tx.release.create({
    data: {
      appId,
      version: release,
      description: change.description,
      spec: spec as unknown as Prisma.InputJsonObject,
      sealedEnv: secrets.seal(JSON.stringify(draft.env), releaseEnvAssociatedData(appId, release)),
    },
  });
  const deployId = randomUUID();
  await tx.deploy.create({
    data: { id: deployId, tenantId: change.tenantId, appId, release, state: 'running', step: 0 },
  });
  await enqueue(tx, schema, advanceDeployCommand, { tenantId: change.tenantId, deployId }, change.context);
  return { appId, release, services };
}

/** The rare path: candidates another service still held were replaced; the services' mappings say so. */
async function swapHostPorts(
  tx: AppManagerTransaction,
  assigned: { services: SavedService[]; claims: MappingClaim[] },
  idOf: (service: string) => string,
  replaced: Map<number, number>,
): Promise<SavedService[]> {
  const swapped: SavedService[] = [];
  for (const service of assigned.services) {
    const claims = assigned.claims.filter((claim) => claim.service === service.name && replaced.has(claim.hostPort));
    if (claims.length === 0) {
      swapped.push(service);
      continue;
    }
    const portMappings = service.portMappings.map((mapping, index) => {
      const claim = claims.find((candidate) => candidate.mapping === index);
      return claim ? { ...mapping, host_port: replaced.get(claim.hostPort) ?? mapping.host_port } : mapping;
    });
    await tx.appService.update({
      where: { id: idOf(service.name) },
      data: { portMappings: portMappings as unknown as Prisma.InputJsonArray },
    });
    swapped.push({ ...service, portMappings });
  }
  return swapped;
}
