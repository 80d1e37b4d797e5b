import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { UsageError } from '../cli-io';
import { formatTable } from '../output/format';
import { imageColumns } from '../output/views';
import { runWithContext } from './run-with-context';

interface ListImageFlags {
  active?: boolean;
  inactive?: boolean;
  role?: string;
  provider?: string;
}

interface RegisterImageFlags {
  provider: string;
  imageId: string;
  role: string;
  name: string;
  active?: boolean;
}

export function registerImageCommands(program: Command, io: CliIo): void {
  const images = program.command('images').description('the boot image catalog');

  images
    .command('list')
    .description('list images, newest first')
    .option('--active', 'only active images')
    .option('--inactive', 'only inactive images')
    .option('--role <role>', 'only this role')
    .option('--provider <name>', 'only this provider')
    .action(
      runWithContext(io, async (context, flags: ListImageFlags) => {
        if (flags.active && flags.inactive) throw new UsageError('--active and --inactive exclude each other');
        const active = flags.active ? true : flags.inactive ? false : undefined;
        const list = await context.client().images.list({
          ...(active === undefined ? {} : { active }),
          ...(flags.role === undefined ? {} : { role: flags.role }),
          ...(flags.provider === undefined ? {} : { provider: flags.provider }),
        });
        context.print({ images: list }, () => formatTable(imageColumns, list));
      }),
    );

  images
    .command('register')
    .description('add an image to the catalog (admin)')
    .requiredOption('--provider <name>', 'provider the image belongs to')
    .requiredOption('--image-id <ref>', "the provider's image reference, e.g. ami-00aabbcc")
    .requiredOption('--role <role>', 'role the image boots')
    .requiredOption('--name <name>', 'a readable name')
    .option('--active', 'make it the active image of its provider and role')
    .action(
      runWithContext(io, async (context, flags: RegisterImageFlags) => {
        const image = await context.client().images.register({
          provider: flags.provider,
          image_id: flags.imageId,
          role: flags.role,
          name: flags.name,
          active: flags.active === true,
        });
        context.print(image, () => formatTable(imageColumns, [image]));
      }),
    );

  images
    .command('activate')
    .description('make an image the active one of its provider and role (admin)')
    .argument('<id>', 'image id (the ID column of `images list`)')
    .action(
      runWithContext(io, async (context, id: string) => {
        const image = await context.client().images.activate(id);
        context.print(image, () => `image ${image.image_id} is now active for ${image.provider}/${image.role}\n`);
      }),
    );
}
