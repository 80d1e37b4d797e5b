import { existsSync, openAsBlob } from 'node:fs';
import type { CommandContext } from '../command-context';
import { UsageError } from '../cli-io';
import type { MachineImage } from '@overcast/sdk';
import { formatDetails } from '../output/format';

const mebibyte = 1024 * 1024;

/** An image id as the API names it (cloudigrade's integers). */
export function imageIdOf(value: string): number {
  const id = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1)
    throw new UsageError(
      `with --file, the first argument is the image id (a positive integer), not ${JSON.stringify(value)}`,
    );
  return id;
}

/**
 * `images inspect <id> --file disk.img`: the disk streamed from where it lies to the image inspector (through the
 * gateway), the share sent shown on stderr, then the image as recorded with its verdicts and their provenance.
 */
export async function inspectImageOnServer(context: CommandContext, id: number, file: string): Promise<void> {
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const disk = await openAsBlob(file);
  const progress = context.progress();
  try {
    const image = await context.client().usage.inspectImage(id, disk, {
      onProgress: (sent, total) => {
        const percent = total === 0 ? 100 : Math.floor((sent / total) * 20) * 5;
        progress.update(`sending ${file}: ${percent}% of ${(total / mebibyte).toFixed(1)} MiB`);
      },
    });
    progress.done(`image ${id}: ${image.status}`);
    await context.print(image, () => describeImage(image));
  } catch (error) {
    progress.stop();
    throw error;
  }
}

type Inspection = NonNullable<MachineImage['inspection']>;
type Check = Inspection['openshift']['checks']['tag'];

/** The image's fields, then each check with where it found what (as the offline form prints them). */
function describeImage(image: MachineImage): string {
  const { inspection, ...fields } = image;
  const lines = [formatDetails(Object.entries(fields)).trimEnd()];
  if (inspection) {
    const { checks } = inspection.rhel;
    const named: [string, Check][] = [
      ['release files', checks.release_files],
      ['product certificates', checks.product_certificates],
      ['enabled repos', checks.enabled_repos],
      ['signed packages', checks.signed_packages],
      ['openshift tag', inspection.openshift.checks.tag],
    ];
    for (const [label, check] of named) lines.push(...describeCheck(label, check));
    for (const error of inspection.errors) lines.push(`error  ${error}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeCheck(label: string, check: Check): string[] {
  if (!check.found) return [`  ${label.padEnd(21)} no`];
  return check.evidence.map(
    (evidence, index) =>
      `  ${(index === 0 ? label : '').padEnd(21)} ${index === 0 ? 'yes' : '   '}  ` +
      `${evidence.partition}${evidence.path ? `:${evidence.path}` : ''}  ${evidence.detail}`,
  );
}
