/** The provider-neutral size classes every provider maps to a machine type of its own. */
export type SizeClass = 'standard' | 'premium';

/**
 * The size class a requested type names, or null for a provider-native type. cloud-brain's worker sends `default`
 * (its VMType for an ordinary job), which cloud-brain treated as the standard machine type.
 */
export function sizeClassOf(requested: string): SizeClass | null {
  if (requested === 'standard' || requested === 'default') return 'standard';
  if (requested === 'premium') return 'premium';
  return null;
}

/** How the request names a type once its alias is resolved: `default` is stored and reported as `standard`. */
export function canonicalInstanceType(requested: string): string {
  return sizeClassOf(requested) ?? requested;
}

// EC2 instance types are `<family>.<size>` (c3.2xlarge, t3.medium, m7i-flex.large, u-6tb1.metal).
const ec2InstanceType = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
// GCE machine types are dash-joined, with no dot (n1-standard-4, e2-micro, custom-4-8192, n2d-highcpu-8).
const gceMachineType = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

/** EC2's instance type for a requested type: a size class through the operator's map, else a native EC2 type. */
export function ec2InstanceTypeOf(requested: string, sizes: Record<SizeClass, string>): string | null {
  const size = sizeClassOf(requested);
  if (size) return sizes[size];
  return ec2InstanceType.test(requested) ? requested : null;
}

/** GCE's machine type for a requested type: a size class through the operator's map, else a native machine type. */
export function gceMachineTypeOf(requested: string, sizes: Record<SizeClass, string>): string | null {
  const size = sizeClassOf(requested);
  if (size) return sizes[size];
  return gceMachineType.test(requested) ? requested : null;
}

/**
 * Providers without machine sizes (a local process, the fake) run every type the same way, so they accept what any
 * cloud would: a size class or an EC2 or GCE type (an operator's pudding defaults name `c3.2xlarge`).
 */
export function anyCloudTypeOf(requested: string): string | null {
  if (sizeClassOf(requested)) return canonicalInstanceType(requested);
  return ec2InstanceType.test(requested) || gceMachineType.test(requested) ? requested : null;
}
