import { AppError } from '@overcast/contracts';
import { z } from 'zod';
import { createAwsContainerPlatform } from './aws';
import type { ContainerPlatform } from './container-platform';
import { createFakeContainerPlatform } from './fake';
import { createLocalContainerPlatform, LocalContainerConfig } from './local';

const AwsContainerConfig = z
  .object({
    type: z.literal('aws'),
    /** Region of districts that name none. */
    region: z.string().min(1).optional(),
    /** Attempts per call, throttling included (the SDK's standard retry). */
    maxAttempts: z.number().int().min(1).max(20).optional(),
  })
  .strict();

const FakeContainerConfig = z
  .object({
    type: z.literal('fake'),
    name: z.string().min(1).optional(),
    latencyMs: z.union([z.number().min(0), z.object({ min: z.number().min(0), max: z.number().min(0) })]).optional(),
    rolloutMs: z.number().min(0).optional(),
    taskMs: z.number().min(0).optional(),
    failureRate: z.number().min(0).max(1).optional(),
    lostResponseRate: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    zoneName: z.string().min(1).optional(),
  })
  .strict();

/** Operator configuration of one container platform (the provider of a district). */
export const ContainerPlatformConfig = z.discriminatedUnion('type', [
  AwsContainerConfig,
  LocalContainerConfig.extend({ type: z.literal('local') }),
  FakeContainerConfig,
]);
export type ContainerPlatformConfig = z.input<typeof ContainerPlatformConfig>;

/** Build a container platform from operator config; every invalid field is reported at once, by path. */
export function createContainerPlatform(config: unknown): ContainerPlatform {
  const parsed = ContainerPlatformConfig.safeParse(config);
  if (!parsed.success) {
    throw new AppError('bad_request', 'invalid container platform config', {
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
      return createAwsContainerPlatform(options);
    }
    case 'local': {
      const { type: _type, ...options } = data;
      return createLocalContainerPlatform(options);
    }
    case 'fake': {
      const { type: _type, ...options } = data;
      return createFakeContainerPlatform(options);
    }
  }
}
