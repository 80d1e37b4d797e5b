import { randomUUID } from 'node:crypto';
import { advanceDeployCommand } from '@overcast/contracts';
import { AppError } from '@overcast/contracts';
import type { AppChange } from '../domain/ports';
import type { PortMappingRecord, ReleaseSpec, ServiceDraft } from '../domain/records';
import type { SecretBox } from '../domain/secret-box';
import type { Prisma } from '../generated/prisma/client';
import { enqueue } from './outbox';
import type { AppManagerTransaction } from './prisma-client';
import { envAssociatedData, releaseEnvAssociatedData } from './rows';

/** Barcelona's host port range. */
const firstHostPort = 10_000;
const lastHostPort = 19_999;

export function isUniqueViolation(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return code === 'P2002' || code === '23505';
}

/** Host ports for the mappings that have none, lowest free first; the caller holds the district's lock. */
async function allocateHostPorts(
  tx: AppManagerTransaction,
  districtId: string,
  serviceId: string,
  mappings: PortMappingRecord[],
): Promise<Required<PortMappingRecord>[]> {
  const used = new Set(
    (await tx.hostPort.findMany({ where: { districtId }, select: { hostPort: true } })).map((row) => row.hostPort),
  );
  let candidate = firstHostPort;
  const allocated: Required<PortMappingRecord>[] = [];
  for (const mapping of mappings) {
    if (mapping.host_port !== undefined) {
      allocated.push({ ...mapping, host_port: mapping.host_port });
      continue;
    }
    while (used.has(candidate)) candidate += 1;
    if (candidate > lastHostPort)
      throw new AppError('conflict', 'The district has no free host port left (10000–19999).');
    used.add(candidate);
    await tx.hostPort.create({ data: { districtId, hostPort: candidate, appServiceId: serviceId } });
    allocated.push({ ...mapping, host_port: candidate });
  }
  return allocated;
}

async function saveService(
  tx: AppManagerTransaction,
  appId: string,
  districtId: string,
  service: ServiceDraft,
): Promise<ReleaseSpec['services'][number]> {
  const existing = await tx.appService.findUnique({ where: { appId_name: { appId, name: service.name } } });
  const id = existing?.id ?? randomUUID();
  const fields = {
    cpu: service.cpu,
    memory: service.memory,
    command: service.command,
    public: service.public,
    scale: service.scale,
    schedule: service.schedule,
  };
  if (!existing) {
    await tx.appService.create({ data: { id, appId, name: service.name, ...fields, portMappings: [] } });
  }
  const portMappings = await allocateHostPorts(tx, districtId, id, service.portMappings);
  await tx.appService.update({
    where: { id },
    data: {
      ...fields,
      portMappings: portMappings as unknown as Prisma.InputJsonArray,
      // A changed schedule starts over from the deploy that applies it.
      ...(existing && existing.schedule !== service.schedule ? { nextRunAt: null } : {}),
    },
  });
  return { ...service, portMappings };
}

/**
 * One transaction: the app row, its services (host ports allocated under the district's lock), its sealed env
 * vars, the next release (spec + sealed env) and its deploy, whose advance job is in the outbox.
 */
export async function saveAppChange(
  tx: AppManagerTransaction,
  schema: string,
  secrets: SecretBox,
  change: AppChange,
): Promise<{ release: number }> {
  const { draft } = change;
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', change.districtId);
  const fields = {
    imageName: draft.imageName,
    imageTag: draft.imageTag,
    beforeDeploy: draft.beforeDeploy,
    slackUrl: draft.slackUrl,
  };
  let appId: string;
  let release: number;
  if (change.appId === null) {
    appId = randomUUID();
    release = 1;
    try {
      await tx.app.create({
        data: {
          id: appId,
          tenantId: change.tenantId,
          districtId: change.districtId,
          name: draft.name,
          release,
          ...fields,
        },
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', `An app named ${draft.name} exists already.`, {
          details: [{ path: 'name', message: 'is taken' }],
        });
      throw error;
    }
  } else {
    appId = change.appId;
    const updated = await tx.app.update({
      where: { id: appId },
      data: { ...fields, release: { increment: 1 }, updatedAt: new Date() },
    });
    release = updated.release;
  }

  const services: ReleaseSpec['services'] = [];
  for (const service of draft.services) services.push(await saveService(tx, appId, change.districtId, service));

  const keys = Object.keys(draft.env);
  await tx.envVar.deleteMany({ where: { appId, key: { notIn: keys } } });
  for (const key of keys) {
    const sealedValue = secrets.seal(draft.env[key] ?? '', envAssociatedData(appId, key));
    await tx.envVar.upsert({
      where: { appId_key: { appId, key } },
      create: { appId, key, sealedValue },
      update: { sealedValue },
    });
  }

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
  return { release };
}
