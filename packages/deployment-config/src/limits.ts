/** Bounds on what one parse may cost; every file (the root and each include) is held to them. */
export interface DeploymentConfigLimits {
  /** Bytes of one file (1 MB validates in well under 200 ms; see bench/README.md). */
  maxBytes: number;
  /** Collection nesting; a deployment needs about 8 levels. */
  maxDepth: number;
  /** Characters of one scalar (an env value holding a certificate is a few KB). */
  maxScalarLength: number;
  /** `*alias` nodes written in one file. */
  maxAliases: number;
  /**
   * Nodes once aliases are expanded. A 1 MB file without aliases has about 70,000; the schema walks the expanded
   * value on the main thread, so this bounds what aliases can make a request cost there.
   */
  maxExpandedNodes: number;
  /** Keys copied by merge keys (`<<`) in one file (js-yaml's `maxTotalMergeKeys`, same default). */
  maxMergeKeys: number;
  /** Files read through `include`, over the whole tree. */
  maxIncludes: number;
  /**
   * One file's parse (or the placing of its errors), after which its worker is killed and replaced: a guard
   * against a hang, far above what the other limits let a parse cost.
   */
  parseTimeoutMs: number;
  /** The parsing worker's heap. */
  workerHeapMb: number;
}

export const defaultLimits: DeploymentConfigLimits = {
  maxBytes: 2 * 1024 * 1024,
  maxDepth: 32,
  maxScalarLength: 64 * 1024,
  maxAliases: 1000,
  maxExpandedNodes: 250_000,
  maxMergeKeys: 10_000,
  maxIncludes: 16,
  parseTimeoutMs: 10_000,
  workerHeapMb: 256,
};
