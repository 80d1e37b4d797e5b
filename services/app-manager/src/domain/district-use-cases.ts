import { AppError, type CreateDistrictRequest, type District, type UpdateDistrictRequest } from '@overcast/contracts';
import { isContainerInstanceId } from './container-instance-states';
import { assertPlatform, credentialsAssociatedData, type DomainContext, notFound, platformOf } from './context';
import type { DistrictFields } from './ports';
import { presentDistrict } from './present';
import { targetOf } from './records';

type DistrictInput = Omit<UpdateDistrictRequest, 'tenantId' | 'name'>;

/** Barcelona required these of every district; an aws district still does. */
const requiredOnAws = ['vpc_id', 'private_hosted_zone_id'] as const;
const awsKeys = [
  'region',
  'vpc_id',
  'public_elb_security_group',
  'private_elb_security_group',
  'instance_security_group',
  'ecs_service_role',
  'ecs_instance_role',
  'private_hosted_zone_id',
  's3_bucket_name',
  'logentries_token',
] as const;

function awsOf(input: DistrictInput, before: Record<string, string | null> = {}): Record<string, string | null> {
  const aws = { ...before };
  for (const key of awsKeys) if (input[key] !== undefined) aws[key] = input[key] ?? null;
  return aws;
}

function checkAws(provider: string, aws: Record<string, string | null>, credentialsSet: boolean): void {
  if (provider !== 'aws') return;
  const details = requiredOnAws
    .filter((key) => !aws[key])
    .map((key) => ({ path: `body.${key}`, message: 'is required on an aws district' }));
  if (!credentialsSet)
    details.push({
      path: 'body.aws_access_key_id',
      message: 'aws_access_key_id and aws_secret_access_key are required on an aws district',
    });
  if (details.length > 0) throw new AppError('bad_request', 'An aws district needs its AWS fields.', { details });
}

export function createDistrictUseCases(context: DomainContext) {
  const { store, secrets } = context;

  function sealCredentials(name: string, input: DistrictInput): string | null | undefined {
    const { aws_access_key_id: accessKeyId, aws_secret_access_key: secretAccessKey } = input;
    if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
    if (!accessKeyId || !secretAccessKey) return null;
    return secrets.seal(JSON.stringify({ accessKeyId, secretAccessKey }), credentialsAssociatedData(name));
  }

  async function find(tenantId: string, name: string) {
    const district = await store.findDistrict(tenantId, name);
    if (!district) throw notFound('district', name);
    return district;
  }

  return {
    async createDistrict(request: CreateDistrictRequest): Promise<District> {
      const provider = request.provider ?? 'local';
      const aws = awsOf(request);
      const sealedCredentials = sealCredentials(request.name, request) ?? null;
      checkAws(provider, aws, sealedCredentials !== null);
      assertPlatform(context, provider);
      const fields: DistrictFields = { provider, aws, sealedCredentials, dockercfg: request.dockercfg };
      const district = await store.insertDistrict(request.tenantId, request.name, fields);
      // Barcelona created the ECS cluster on create; a failure here leaves the row for a retry of update.
      await platformOf(context, request.tenantId, district).ensureCluster();
      return presentDistrict(district);
    },
    async listDistricts(tenantId: string): Promise<{ districts: District[] }> {
      return { districts: (await store.listDistricts(tenantId)).map(presentDistrict) };
    },
    async getDistrict(tenantId: string, name: string): Promise<District> {
      return presentDistrict(await find(tenantId, name));
    },
    async updateDistrict(request: UpdateDistrictRequest): Promise<District> {
      const before = await find(request.tenantId, request.name);
      const provider = request.provider ?? before.provider;
      const aws = awsOf(request, before.aws);
      const sealed = sealCredentials(request.name, request);
      checkAws(provider, aws, (sealed === undefined ? before.sealedCredentials : sealed) !== null);
      assertPlatform(context, provider);
      const updated = await store.updateDistrict(request.tenantId, request.name, {
        provider,
        aws,
        ...(sealed === undefined ? {} : { sealedCredentials: sealed }),
        ...(request.dockercfg === undefined ? {} : { dockercfg: request.dockercfg }),
      });
      if (!updated) throw notFound('district', request.name);
      await platformOf(context, request.tenantId, updated).ensureCluster();
      return presentDistrict(updated);
    },
    async deleteDistrict(tenantId: string, name: string): Promise<Record<string, never>> {
      const district = await find(tenantId, name);
      const deleted = await store.deleteDistrict(tenantId, name, (apps) =>
        apps.map((app) => ({
          tenantId,
          district: targetOf(district),
          app: app.name,
          services: app.services.map((service) => service.name),
        })),
      );
      if (!deleted) throw notFound('district', name);
      return {};
    },
    async launchInstances(
      tenantId: string,
      name: string,
      count: number,
      instanceType?: string,
    ): Promise<Record<string, never>> {
      await find(tenantId, name);
      await store.queueLaunch(tenantId, name, count, instanceType ?? 't2.micro');
      return {};
    },
    /** The district.launch job: one broker instance per idempotency key `<launch>-<n>`, recorded in the district. */
    async launchContainerInstances(job: {
      tenantId: string;
      district: string;
      launchId: string;
      count: number;
      instanceType: string;
    }) {
      const district = await store.findDistrict(job.tenantId, job.district);
      if (!district) return;
      for (let index = 0; index < job.count; index += 1) {
        const instance = await context.broker.createInstance({
          tenantId: job.tenantId,
          provider: district.provider,
          image: context.settings.containerInstanceImage,
          instanceType: job.instanceType,
          site: `district-${district.name}`,
          role: 'container-instance',
          idempotencyKey: `${job.launchId}-${index}`,
        });
        await store.recordContainerInstance(district.id, instance);
      }
    },
    /** The tenant's districts and apps against their limits. */
    async quotas(tenantId: string) {
      return { quotas: await store.measureQuotas(tenantId) };
    },
    /** The broker's instance events: a district's container instance shows the state the broker last reported. */
    async followInstance(change: { tenantId: string; id: string; state: string; ipAddress: string | null }) {
      if (!isContainerInstanceId(change.id)) return;
      await store.advanceContainerInstance(change);
    },
  };
}

export type DistrictUseCases = ReturnType<typeof createDistrictUseCases>;
