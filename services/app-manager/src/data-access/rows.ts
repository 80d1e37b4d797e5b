import type { SecretBox } from '../domain/secret-box';
import type {
  AppRecord,
  DistrictRecord,
  DistrictRef,
  OneoffRecord,
  PortMappingRecord,
  ReleaseRecord,
  ReleaseSpec,
  ServiceRecord,
} from '../domain/records';
import type { Prisma } from '../generated/prisma/client';

export const districtInclude = {
  apps: { select: { name: true }, orderBy: { name: 'asc' } },
  containerInstances: { orderBy: { createdAt: 'asc' } },
} as const satisfies Prisma.DistrictInclude;
export type DistrictRow = Prisma.DistrictGetPayload<{ include: typeof districtInclude }>;

export const appInclude = {
  district: true,
  services: { orderBy: { name: 'asc' } },
  envVars: { orderBy: { key: 'asc' } },
  deploys: { orderBy: { startedAt: 'desc' }, take: 1 },
} as const satisfies Prisma.AppInclude;
export type AppRow = Prisma.AppGetPayload<{ include: typeof appInclude }>;

export function toDistrictRef(
  row: Pick<
    Prisma.DistrictGetPayload<object>,
    'id' | 'tenantId' | 'name' | 'provider' | 'aws' | 'sealedCredentials' | 'createdAt'
  >,
): DistrictRef {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    provider: row.provider,
    aws: row.aws as Record<string, string | null>,
    sealedCredentials: row.sealedCredentials,
    createdAt: row.createdAt,
  };
}

export function toDistrict(row: DistrictRow): DistrictRecord {
  return {
    ...toDistrictRef(row),
    appNames: row.apps.map((app) => app.name),
    containerInstances: row.containerInstances.map(({ id, state, instanceType, ipAddress }) => ({
      id,
      state,
      instanceType,
      ipAddress,
    })),
  };
}

/** Env var values are sealed with the app id and key bound in, so a value moved to another row does not open. */
export function envAssociatedData(appId: string, key: string): string {
  return `app:${appId}:env:${key}`;
}

export function releaseEnvAssociatedData(appId: string, version: number): string {
  return `app:${appId}:release:${version}`;
}

export function oneoffEnvAssociatedData(oneoffId: string): string {
  return `oneoff:${oneoffId}`;
}

function toService(row: AppRow['services'][number]): ServiceRecord {
  return {
    name: row.name,
    cpu: row.cpu,
    memory: row.memory,
    command: row.command,
    public: row.public,
    scale: row.scale,
    schedule: row.schedule,
    portMappings: row.portMappings as unknown as Required<PortMappingRecord>[],
    endpointDns: row.endpointDns,
  };
}

export function toApp(row: AppRow, secrets: SecretBox): AppRecord {
  const env: Record<string, string> = {};
  for (const variable of row.envVars)
    env[variable.key] = secrets.open(variable.sealedValue, envAssociatedData(row.id, variable.key));
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    district: toDistrictRef(row.district),
    imageName: row.imageName,
    imageTag: row.imageTag,
    beforeDeploy: row.beforeDeploy,
    slackUrl: row.slackUrl,
    release: row.release,
    appliedRelease: row.appliedRelease,
    services: row.services.map(toService),
    env,
    deployState: row.deploys[0]?.release === row.release ? row.deploys[0].state : null,
  };
}

export function toRelease(
  row: {
    appId: string;
    version: number;
    description: string;
    spec: Prisma.JsonValue;
    sealedEnv: string;
    createdAt: Date;
  },
  secrets: SecretBox,
  deployState: string | null,
): ReleaseRecord {
  return {
    version: row.version,
    description: row.description,
    spec: row.spec as unknown as ReleaseSpec,
    env: JSON.parse(secrets.open(row.sealedEnv, releaseEnvAssociatedData(row.appId, row.version))) as Record<
      string,
      string
    >,
    deployState,
    createdAt: row.createdAt,
  };
}

type OneoffRow = Prisma.OneoffGetPayload<{ include: { app: { select: { name: true } } } }>;

export function toOneoff(row: OneoffRow, secrets: SecretBox): OneoffRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    appId: row.appId,
    appName: row.app.name,
    command: row.command,
    imageTag: row.imageTag,
    env: JSON.parse(secrets.open(row.sealedEnv, oneoffEnvAssociatedData(row.id))) as Record<string, string>,
    service: row.service,
    taskArn: row.taskArn,
    status: row.status as OneoffRecord['status'],
    exitCode: row.exitCode,
    reason: row.reason,
    output: row.output,
    createdAt: row.createdAt,
  };
}
