import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { UsageError } from '../cli-io';
import { withExamples } from '../help-examples';
import { formatTable } from '../output/format';
import { imageFields } from '../output/json-fields';
import { imageColumns } from '../output/views';
import { registerImageInspectCommand } from './images-inspect';
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
  const images = withExamples(
    program
      .command('images')
      .description(
        "the boot image catalog: what creates and builds may boot (each provider's own images, and those registered)",
      ),
    'overcast images list --active',
  );
  registerImageInspectCommand(images, io);

  withExamples(
    images
      .command('list')
      .description('list images, newest first')
      .option('--active', 'only active images')
      .option('--inactive', 'only inactive images')
      .option('--role <role>', 'only this role')
      .option('--provider <name>', 'only this provider'),
    'overcast images list --role worker',
    "overcast images list --active --json id,image_id --jq '.[].image_id'",
  ).action(
    runWithContext(io, async (context, flags: ListImageFlags) => {
      if (flags.active && flags.inactive) throw new UsageError('--active and --inactive exclude each other');
      const active = flags.active ? true : flags.inactive ? false : undefined;
      const list = await context.client().images.list({
        ...(active === undefined ? {} : { active }),
        ...(flags.role === undefined ? {} : { role: flags.role }),
        ...(flags.provider === undefined ? {} : { provider: flags.provider }),
      });
      await context.print({ images: list }, () => formatTable(imageColumns, list), { fields: imageFields, list });
    }),
  );

  withExamples(
    images
      .command('register')
      .description("add a cloud's image to the catalog, so creates and builds may boot it (admin)")
      .requiredOption('--provider <name>', 'provider the image belongs to')
      .requiredOption('--image-id <ref>', "the provider's image reference, e.g. ami-00aabbcc")
      .requiredOption('--role <role>', 'role the image boots')
      .requiredOption('--name <name>', 'a readable name')
      .option('--active', 'make it the active image of its provider and role'),
    'overcast images register --provider aws --image-id ami-00aabbcc --role worker --name worker-2026-12 --active',
  ).action(
    runWithContext(io, async (context, flags: RegisterImageFlags) => {
      const image = await context.client().images.register({
        provider: flags.provider,
        image_id: flags.imageId,
        role: flags.role,
        name: flags.name,
        active: flags.active === true,
      });
      await context.print(image, () => formatTable(imageColumns, [image]), { fields: imageFields });
    }),
  );

  withExamples(
    images
      .command('activate')
      .description('make an image the active one of its provider and role (admin)')
      .argument('<id>', 'image id (the ID column of `images list`)'),
    'overcast images activate 3',
  ).action(
    runWithContext(io, async (context, id: string) => {
      const image = await context.client().images.activate(id);
      await context.print(image, () => `image ${image.image_id} is now active for ${image.provider}/${image.role}\n`, {
        fields: imageFields,
      });
    }),
  );
}
