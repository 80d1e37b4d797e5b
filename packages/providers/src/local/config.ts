import { z } from 'zod';

/** One operator-defined image: what a local instance boots. API callers pick an image by name, never a command. */
export const LocalImage = z.object({
  description: z.string().optional(),
  /** Roles this image serves, for findNewestImage (pudding's `role` tag). */
  roles: z.array(z.string().min(1)).default([]),
  /** Environment baked into the image, seen by the boot agent and its scripts. */
  env: z.record(z.string(), z.string()).default({}),
  /**
   * The program an app service's task runs from this image (argv, like a Docker entrypoint); the service's
   * command words are handed to it as arguments, never run themselves. Images without one boot instances only.
   */
  entrypoint: z.array(z.string().min(1)).min(1).optional(),
  /**
   * Serve EC2's instance metadata to this image's instances, for init scripts written for EC2: their `http_proxy`
   * (with `no_proxy` for loopback) routes `http://169.254.169.254/latest/...` to the provider's metadata service,
   * which answers for the asking instance (`instance-id` `i-<8 hex>`, `local-ipv4`, `public-ipv4`, `user-data`, …)
   * and forwards their other plain-HTTP requests.
   */
  instanceMetadata: z.boolean().default(false),
  /** Interpreter for scripts without a shebang. */
  shell: z.string().min(1).default('/bin/sh'),
  /** When the image was built: the newest of a role wins. */
  createdAt: z.coerce.date().default(new Date(0)),
});
export type LocalImage = z.infer<typeof LocalImage>;

export const LocalComputeConfig = z.object({
  /** Registry name. */
  name: z.string().min(1).default('local'),
  /** Instances live under `<dataDir>/instances/<id>/`; keeping it keeps them across restarts. */
  dataDir: z.string().min(1),
  images: z
    .record(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'image names are letters, digits, ".", "_" and "-"'),
      LocalImage,
    )
    .refine((images) => Object.keys(images).length > 0, 'at least one image is required'),
  /** First two octets of instance addresses (127.x.0.1 …); all of 127/8 is loopback on Linux. */
  addressPrefix: z
    .string()
    .regex(/^127\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, 'must look like "127.<0-255>"')
    .default('127.100'),
  /** Between SIGTERM and SIGKILL on terminate. */
  terminationGraceMs: z.number().int().min(0).default(5_000),
  /** Per `#include` fetch in the boot agent. */
  fetchTimeoutMs: z.number().int().positive().default(10_000),
});
export type LocalComputeConfig = z.input<typeof LocalComputeConfig>;
export type ResolvedLocalConfig = z.output<typeof LocalComputeConfig>;

/** Parse operator config; a bad field stops startup with its path named. */
export function resolveLocalConfig(config: LocalComputeConfig): ResolvedLocalConfig {
  const parsed = LocalComputeConfig.safeParse(config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${['local', ...issue.path].join('.')}: ${issue.message}`);
  throw new TypeError(`invalid local provider config: ${problems.join('; ')}`);
}
