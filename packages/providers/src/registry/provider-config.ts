import { AppError } from '@overcast/contracts';
import { z } from 'zod';
import { createAwsComputeProvider } from '../aws';
import type { ComputeProvider } from '../core/compute';
import { createFakeComputeProvider } from '../fake';
import { createGceComputeProvider } from '../gce';
import { createLocalComputeProvider, LocalComputeConfig } from '../local';

const sizes = z.object({ standard: z.string().min(1).optional(), premium: z.string().min(1).optional() }).strict();

const AwsConfig = z
  .object({
    type: z.literal('aws'),
    region: z.string().min(1),
    credentials: z
      .object({
        accessKeyId: z.string().min(1),
        secretAccessKey: z.string().min(1),
        sessionToken: z.string().optional(),
      })
      .strict()
      .optional(),
    instanceTypes: sizes.optional(),
    subnetId: z.string().optional(),
    securityGroupIds: z.array(z.string().min(1)).optional(),
    vpcId: z.string().optional(),
    sshIngressCidr: z.string().optional(),
    usePrivateIp: z.boolean().optional(),
  })
  .strict();

const GceConfig = z
  .object({
    type: z.literal('gce'),
    projectId: z.string().min(1),
    zone: z.string().min(1).optional(),
    imageProjectId: z.string().min(1).optional(),
    machineTypes: sizes.optional(),
    network: z.string().min(1).optional(),
    diskSizeGb: z.number().int().positive().optional(),
    diskType: z.string().min(1).optional(),
    preemptible: z.boolean().optional(),
    publicIp: z.boolean().optional(),
    sshUser: z.string().min(1).optional(),
    sshIngressCidr: z.string().optional(),
    credentials: z.object({ client_email: z.string().min(1), private_key: z.string().min(1) }).optional(),
  })
  .strict();

const FakeConfig = z
  .object({
    type: z.literal('fake'),
    name: z.string().min(1).optional(),
    latencyMs: z.union([z.number().min(0), z.object({ min: z.number().min(0), max: z.number().min(0) })]).optional(),
    failureRate: z.number().min(0).max(1).optional(),
    lostResponseRate: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    bootMs: z.number().min(0).optional(),
    shutdownMs: z.number().min(0).optional(),
    /** The images the fake cloud has (default: defaultFakeImages); a create with another fails, as on a cloud. */
    images: z
      .array(
        z
          .object({
            id: z.string().min(1),
            name: z.string().min(1).optional(),
            roles: z.array(z.string().min(1)).default([]),
            createdAt: z.coerce.date().default(() => new Date(0)),
          })
          .strict()
          .transform((image) => ({ ...image, name: image.name ?? image.id })),
      )
      .optional(),
  })
  .strict();

/** Operator configuration of one compute provider, as stored (encrypted) per provider row. */
export const ComputeProviderConfig = z.discriminatedUnion('type', [
  AwsConfig,
  GceConfig,
  LocalComputeConfig.extend({ type: z.literal('local') }),
  FakeConfig,
]);
export type ComputeProviderConfig = z.input<typeof ComputeProviderConfig>;

/** Build a provider from operator config; every invalid field is reported at once, by path. */
export function createComputeProvider(config: unknown): ComputeProvider {
  const parsed = ComputeProviderConfig.safeParse(config);
  if (!parsed.success) {
    throw new AppError('bad_request', 'invalid provider config', {
      details: parsed.error.issues.map((issue) => ({
        path: ['config', ...issue.path].join('.'),
        message: issue.message,
      })),
    });
  }
  const data = parsed.data;
  switch (data.type) {
    case 'aws': {
      const { type: _type, ...options } = data;
      return createAwsComputeProvider(options);
    }
    case 'gce': {
      const { type: _type, ...options } = data;
      return createGceComputeProvider(options);
    }
    case 'local': {
      const { type: _type, ...options } = data;
      return createLocalComputeProvider(options);
    }
    case 'fake': {
      const { type: _type, ...options } = data;
      return createFakeComputeProvider(options);
    }
  }
}
