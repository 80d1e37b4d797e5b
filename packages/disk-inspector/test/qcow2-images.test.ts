import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDiskImage } from '../src';
import { buildExt4, buildPartitionedDisk, buildQcow2, buildXfs } from './support/disk-images';
import { prepareRootfs } from './support/rootfs';

let work: string;
const image = (name: string): string => join(work, name);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'disk-inspector-qcow2-'));
  buildXfs(prepareRootfs('rhel9'), image('rhel9.xfs'), 32);
  buildPartitionedDisk(image('rhel9.xfs'), image('rhel9.raw'), 'gpt');
  buildQcow2(image('rhel9.raw'), image('rhel9.qcow2'));
  buildQcow2(image('rhel9.raw'), image('rhel9-compressed.qcow2'), ['-c']);
  buildQcow2(image('rhel9.raw'), image('rhel9-v2.qcow2'), ['-o', 'compat=0.10']);
  buildExt4(prepareRootfs('centos7'), image('centos7.ext4'));
  buildQcow2(image('centos7.ext4'), image('centos7.qcow2'), ['-c', '-o', 'cluster_size=4096']);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('qcow2 images (RHEL KVM guest images), read through their cluster tables', () => {
  it.each(['rhel9.qcow2', 'rhel9-compressed.qcow2', 'rhel9-v2.qcow2'])('finds RHEL 9 in %s', async (name) => {
    const result = await inspectDiskImage({ kind: 'file', path: image(name) });
    expect(result.errors).toEqual([]);
    expect(result.rhel.detected).toBe(true);
    expect(result.rhel.checks.signedPackages.evidence).toEqual([
      expect.objectContaining({ partition: 'p2', path: '/var/lib/rpm/rpmdb.sqlite' }),
    ]);
    expect(result.partitions.map(({ name: partition, filesystem }) => `${partition}:${filesystem}`)).toEqual([
      'p1:unknown',
      'p2:xfs',
    ]);
  });

  it('reads a compressed bare ext4 qcow2 with 4 KiB clusters as CentOS', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('centos7.qcow2') });
    expect(result.status).toBe('inspected');
    expect(result.rhel.detected).toBe(false);
    expect(result.operatingSystems).toEqual([expect.objectContaining({ id: 'centos' })]);
  });

  it('reads a qcow2 upload after spooling it', async () => {
    const result = await inspectDiskImage({
      kind: 'upload',
      stream: createReadStream(image('rhel9-compressed.qcow2')),
    });
    expect(result.rhel.detected).toBe(true);
  });

  it('refuses a qcow2 image that needs a backing file', async () => {
    execFileSync('qemu-img', [
      'create',
      '-q',
      '-f',
      'qcow2',
      '-F',
      'qcow2',
      '-b',
      image('rhel9.qcow2'),
      image('overlay.qcow2'),
    ]);
    const result = await inspectDiskImage({ kind: 'file', path: image('overlay.qcow2') });
    expect(result).toEqual(
      expect.objectContaining({
        status: 'error',
        errors: ['qcow2: the image needs a backing file, which is not here'],
      }),
    );
  });
});
