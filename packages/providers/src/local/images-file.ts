import { readFileSync } from 'node:fs';

/**
 * The operator's image catalog from LOCAL_IMAGES_FILE, as JSON: the instance broker's local provider and the app
 * manager's local container platform read the same file here, and each validates the images with its config's
 * schema (a bad entry stops startup with its path named). An unreadable file or bad JSON stops startup too.
 */
export function readLocalImagesFile(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`LOCAL_IMAGES_FILE: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}
