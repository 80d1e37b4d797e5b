import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { inspectDiskImage, type CheckResult, type InspectionResult } from '@overcast/disk-inspector';
import { OvercastError } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { UsageError } from '../cli-io';
import { withExamples } from '../help-examples';
import { imageIdOf, inspectImageOnServer } from './images-inspect-upload';
import { runWithContext } from './run-with-context';

interface InspectFlags {
  file?: string;
  platform?: string;
  tag: string[];
}

const rhelCheckLabels = {
  releaseFiles: 'release files',
  productCertificates: 'product certificates',
  enabledRepos: 'enabled repos',
  signedPackages: 'signed packages',
} as const;

/** `images inspect`: the image inspector's own reader and checks, run here on a local file, with no server. */
export function registerImageInspectCommand(images: Command, io: CliIo): void {
  withExamples(
    images
      .command('inspect')
      .description(
        'find RHEL and OpenShift in a disk image or rootfs tar (raw or qcow2; MBR/GPT, LVM, ext4, XFS): offline, ' +
          "or with --file for a tracked image's id, read by the image inspector and recorded on the image",
      )
      .argument(
        '<file-or-id>',
        'a raw or qcow2 disk image, a bare filesystem image, or a rootfs .tar / .tar.gz; with --file, the image id',
      )
      .option('--file <disk>', 'send this disk image to the server to inspect the image <id> (usage images list)')
      .option('--platform <name>', "the image's platform as its cloud reports it (windows is not read)")
      .option('--tag <key[=value]>', 'an image tag, e.g. cloudigrade-ocp-present (repeatable)', collectTag, []),
    'overcast images inspect rhel-9.raw',
    'overcast images inspect rootfs.tar.gz --tag cloudigrade-ocp-present --json',
    'overcast images inspect 4 --file disk.img',
  ).action(
    runWithContext(io, async (context, file: string, flags: InspectFlags) => {
      if (flags.file !== undefined) {
        if (flags.platform !== undefined || flags.tag.length > 0)
          throw new UsageError("--platform and --tag are the offline form's: the server knows the image's own");
        return inspectImageOnServer(context, imageIdOf(file), flags.file);
      }
      if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
      const tags = Object.fromEntries(flags.tag.map((tag) => splitTag(tag)));
      const result = await inspectDiskImage(
        { kind: 'file', path: file },
        { ...(flags.platform ? { platform: flags.platform } : {}), tags },
      );
      await context.print(result, () => describeInspection(file, result));
      if (result.status === 'error') throw new OvercastError(`${file} could not be read: ${result.errors.join('; ')}`);
    }),
  );
}

function collectTag(tag: string, tags: string[]): string[] {
  return [...tags, tag];
}

function splitTag(tag: string): [string, string] {
  const at = tag.indexOf('=');
  return at === -1 ? [tag, ''] : [tag.slice(0, at), tag.slice(at + 1)];
}

function describeInspection(file: string, result: InspectionResult): string {
  const lines = [`image      ${file}`];
  if (result.skipped) lines.push(`skipped    ${result.skipped} (not read)`);
  const version = result.rhel.version ? ` (version ${result.rhel.version})` : '';
  lines.push(`RHEL       ${result.rhel.detected ? `detected${version}` : 'not detected'}`);
  for (const [name, label] of Object.entries(rhelCheckLabels)) {
    lines.push(...describeCheck(label, result.rhel.checks[name as keyof typeof rhelCheckLabels]));
  }
  lines.push(`OpenShift  ${result.openshift.detected ? 'detected' : 'not detected'}`);
  lines.push(...describeCheck('tag', result.openshift.checks.tag));
  for (const system of result.operatingSystems) {
    lines.push(
      `system     ${system.partition}: ${system.name ?? system.id ?? '?'} ${system.versionId ?? ''}`.trimEnd(),
    );
  }
  const partitions = result.partitions.map((partition) => `${partition.name} ${partition.filesystem}`);
  if (partitions.length > 0) lines.push(`partitions ${partitions.join(', ')}`);
  for (const error of result.errors) lines.push(`error      ${error}`);
  return `${lines.join('\n')}\n`;
}

function describeCheck(label: string, check: CheckResult): string[] {
  if (!check.found) return [`  ${label.padEnd(21)} no`];
  return check.evidence.map(
    (evidence, index) =>
      `  ${(index === 0 ? label : '').padEnd(21)} ${index === 0 ? 'yes' : '   '}  ` +
      `${evidence.partition}${evidence.path ? `:${evidence.path}` : ''}  ${evidence.detail}`,
  );
}
