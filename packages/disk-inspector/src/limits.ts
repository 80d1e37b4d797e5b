// Every bound the inspector puts on what an image can make it do. An image is hostile input: a loop in a
// directory, an extent list pointing past the disk or a billion entries must end in a clear refusal.
export const inspectionLimits = {
  /** Release files, certificates, repo and os-release files: larger ones are not what we look for. */
  smallFileBytes: 1024 * 1024,
  /**
   * The rpm database (rpmdb.sqlite or Berkeley DB Packages) is read whole, and SQLite copies it once more: real ones
   * are 5–200 MB, and a sparse hostile one must not cost a service more than this twice over.
   */
  rpmDatabaseBytes: 256 * 1024 * 1024,
  /** Entries read from one directory. */
  directoryEntries: 200_000,
  /** Symlinks followed while resolving one path (Linux's own limit). */
  symlinkHops: 40,
  /** A symlink's target (Linux's PATH_MAX). */
  symlinkTargetBytes: 4096,
  /** Partitions taken from one table (GPT's usual 128). */
  partitions: 128,
  /** Extents or blocks walked for one file or directory. */
  extentsPerFile: 1_000_000,
  /** Depth of an extent or B+tree: real ones are ≤ 5. */
  treeDepth: 8,
  /** Members of one rootfs tar (each costs a path in memory even when its content is skipped). */
  tarMembers: 5_000_000,
  /** Files kept in memory while streaming a rootfs tar (what the checks read, nothing else). */
  tarKeptBytes: 1024 * 1024 * 1024,
  /** A disk image uploaded as a stream, spooled to a sparse file (zero stretches take no disk). */
  uploadBytes: 256 * 1024 ** 3,
  /** A whole inspection, whatever the source. */
  inspectionMilliseconds: 10 * 60 * 1000,
} as const;
