import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

// Only what the image inspector reads of the local provider's catalog (the broker validates the rest).
const CatalogDisks = z.record(z.string(), z.looseObject({ disk: z.string().min(1).optional() }));

/**
 * The disks the local provider's catalog names: image name → the absolute path of its disk image or rootfs tar
 * (a relative `disk` is relative to the catalog file). Read on each call, so that an edited catalog counts at the
 * next triage; a missing or malformed file is an error the triage job logs, not an empty catalog.
 */
export function createLocalCatalogDisks(catalogFile: string | null) {
  return async function localCatalogDisks(): Promise<Map<string, string>> {
    if (!catalogFile) return new Map();
    const parsed = CatalogDisks.safeParse(JSON.parse(await readFile(catalogFile, 'utf8')));
    if (!parsed.success) throw new Error(`LOCAL_IMAGES_FILE ${catalogFile}: ${z.prettifyError(parsed.error)}`);
    const directory = path.dirname(path.resolve(catalogFile));
    return new Map(
      Object.entries(parsed.data).flatMap(([name, image]) =>
        image.disk ? [[name, path.resolve(directory, image.disk)] as const] : [],
      ),
    );
  };
}
