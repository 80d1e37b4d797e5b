/** What the local balancer benchmark's child process serves, shared by it and the parent. */
export const balancerProtocols = ['reuse-port', 'http', 'tcp'] as const;
export type BenchedProtocol = (typeof balancerProtocols)[number];

export interface LocalBalancerUrls {
  /** The service's local load balancer over its tasks, by how it spreads (one platform each). */
  balancers: Record<BenchedProtocol, string>;
  /** One task of the reuse-port platform, straight on its own address. */
  direct: string;
  tasks: number;
}
