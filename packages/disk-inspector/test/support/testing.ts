// Disk images built with the machine's tools (mke2fs -d, mkfs.xfs -p, sfdisk, tar), for the tests of services that
// inspect images through this package: the same images its own tests read, not a second builder.
export { buildExt4, buildPartitionedDisk, buildTar, buildXfs } from './disk-images';
export { prepareRootfs, type RootfsKind } from './rootfs';
