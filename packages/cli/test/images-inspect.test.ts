import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCliSandbox, type CliSandbox } from './run-overcast';

let work: string;
let sandbox: CliSandbox;

/** A small RHEL-like root filesystem made into an ext4 image (mke2fs -d) and a tar, as the inspector reads them. */
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'overcast-cli-inspect-'));
  const rootfs = path.join(work, 'rootfs');
  mkdirSync(path.join(rootfs, 'etc/pki/product'), { recursive: true });
  writeFileSync(path.join(rootfs, 'etc/redhat-release'), 'Red Hat Enterprise Linux release 8.10 (Ootpa)\n');
  writeFileSync(path.join(rootfs, 'etc/os-release'), 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="8.10"\n');
  writeFileSync(path.join(rootfs, 'etc/pki/product/69.pem'), '-----BEGIN CERTIFICATE-----\n');
  execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-d', rootfs, path.join(work, 'rhel8.ext4'), '8M']);
  execFileSync('tar', ['-cf', path.join(work, 'rhel8.tar'), '-C', rootfs, '.']);
  writeFileSync(path.join(work, 'garbage.img'), Buffer.alloc(64 * 1024, 0x5a));
  sandbox = createCliSandbox();
});

afterAll(() => {
  sandbox.remove();
  rmSync(work, { recursive: true, force: true });
});

describe('overcast images inspect <file>', () => {
  it('prints what it found and the file behind each check, with no server and no token', async () => {
    const { code, stdout } = await sandbox.run(['images', 'inspect', path.join(work, 'rhel8.ext4')]);
    expect(code).toBe(0);
    expect(stdout).toContain('RHEL       detected (version 8.10)\n');
    expect(stdout).toContain(
      '  release files         yes  disk:/etc/os-release  NAME="Red Hat Enterprise Linux"\n' +
        '                             disk:/etc/redhat-release  Red Hat Enterprise Linux release 8.10 (Ootpa)\n',
    );
    expect(stdout).toContain('  product certificates  yes  disk:/etc/pki/product/69.pem  product certificate 69\n');
    expect(stdout).toContain('  signed packages       no\n');
    expect(stdout).toContain('OpenShift  not detected\n');
    expect(stdout).toContain('partitions disk ext4\n');
  });

  it('gives the whole result with --json, and OpenShift from a --tag', async () => {
    const { code, stdout } = await sandbox.run([
      'images',
      'inspect',
      path.join(work, 'rhel8.tar'),
      '--tag',
      'cloudigrade-ocp-present',
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { rhel: { detected: boolean }; openshift: { detected: boolean } };
    expect(result.rhel.detected).toBe(true);
    expect(result.openshift.detected).toBe(true);
  });

  it('exits 1 naming why when the file holds no filesystem it reads', async () => {
    const { code, stdout, stderr } = await sandbox.run(['images', 'inspect', path.join(work, 'garbage.img')]);
    expect(code).toBe(1);
    expect(stdout).toContain('RHEL       not detected\n');
    expect(stderr).toContain('garbage.img could not be read: no partition holds a filesystem the inspector reads');
  });

  it('runs from the overcast binary itself (tsx and the source condition loading the inspector)', () => {
    const bin = path.join(__dirname, '..', 'bin', 'overcast.js');
    const stdout = execFileSync(process.execPath, [bin, 'images', 'inspect', path.join(work, 'rhel8.ext4'), '--json'], {
      env: { ...process.env, OVERCAST_CONFIG_DIR: sandbox.home },
    }).toString();
    expect((JSON.parse(stdout) as { rhel: { version: string } }).rhel.version).toBe('8.10');
  });

  it('exits 2 for a file that does not exist', async () => {
    const { code, stderr } = await sandbox.run(['images', 'inspect', path.join(work, 'missing.img')]);
    expect(code).toBe(2);
    expect(stderr).toContain('no such file');
  });
});
