import { z } from 'zod';
import { LocalImage } from '../../local/config';

export const LocalContainerConfig = z.object({
  /** Registry name and the districts' `provider`. */
  name: z.string().min(1).default('local'),
  /**
   * The operator's image catalog (the same shape as the local instances', read from the same LOCAL_IMAGES_FILE);
   * a task runs an image's `entrypoint`. The sample `hello-web` is added unless the catalog has an image so named.
   */
  images: z
    .record(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'image names are letters, digits, ".", "_" and "-"'),
      LocalImage,
    )
    .optional(),
  /** Where the ledger of running task pids is kept, so a restart stops what a crash left; none when absent. */
  dataDir: z.string().min(1).optional(),
  /** First two octets of the tasks' and balancers' loopback addresses (distinct from local instances' 127.100). */
  addressPrefix: z
    .string()
    .regex(/^127\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, 'must look like "127.<0-255>"')
    .default('127.101'),
  /** Wait before replacing a task that died, so a crash loop does not spin a core. */
  restartDelayMs: z.number().int().min(0).default(1_000),
  /** Between TCP health checks of each task (the ELB's interval is 5 s; locally a deploy should feel instant). */
  probeIntervalMs: z.number().int().positive().default(500),
  /**
   * How a service's balancer spreads: `reuse-port` per connection by the kernel (each task also listens on the
   * balancer's address, OVERCAST_LB_IP:OVERCAST_LB_PORT, with SO_REUSEPORT: nothing is proxied), `http` per request
   * through a proxy (for images that cannot share a port; every task answers a client that keeps its connection),
   * `tcp` per connection (bytes piped, as the classic ELB's TCP listeners).
   */
  balancerProtocol: z.enum(['reuse-port', 'http', 'tcp']).default('reuse-port'),
  /** Stopped one-off tasks kept for describeTask per district (each with up to 64 KiB of output); oldest dropped. */
  keptStoppedTasks: z.number().int().min(1).default(500),
  /** Between SIGTERM and SIGKILL when a task is stopped. */
  terminationGraceMs: z.number().int().min(0).default(5_000),
});
export type LocalContainerConfig = z.input<typeof LocalContainerConfig>;
export type ResolvedLocalContainerConfig = z.output<typeof LocalContainerConfig>;

/** Parse operator config; a bad field stops startup with its path named. */
export function resolveLocalContainerConfig(config: LocalContainerConfig): ResolvedLocalContainerConfig {
  const parsed = LocalContainerConfig.safeParse(config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${['local', ...issue.path].join('.')}: ${issue.message}`);
  throw new TypeError(`invalid local container platform config: ${problems.join('; ')}`);
}
