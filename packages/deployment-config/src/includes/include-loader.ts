import { open } from 'node:fs/promises';
import type { HttpsFetchLimits } from './fetch-https';
import { fetchHttps } from './fetch-https';
import type { IncludeLocation } from './locate-include';

/** Reads one include; rejects with a message for the user when it may not or cannot be read. */
export type IncludeLoader = (location: IncludeLocation) => Promise<string>;

export interface IncludeLoaderOptions {
  /**
   * Files on this machine: the CLI reads them; a server taking YAML from users must not (the default), or a
   * request could read its disk.
   */
  files?: { maxBytes: number } | false;
  /** https URLs, public addresses only unless `allowedNetworks` says otherwise; off unless given. */
  https?: HttpsFetchLimits | false;
}

async function readBoundedFile(path: string, maxBytes: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}

export function createIncludeLoader(options: IncludeLoaderOptions): IncludeLoader {
  return async (location) => {
    if (location.kind === 'file') {
      if (!options.files) {
        // A server: the file's includes are beside it on the sender's machine, which the CLI reads and inlines.
        throw new Error(
          'a file sent to the registry cannot include files (they are on your machine, not the server): ' +
            '`overcast deployments create -f <file>` sends it with its file includes inlined',
        );
      }
      try {
        return await readBoundedFile(location.path, options.files.maxBytes);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new Error(`${location.path} does not exist`, { cause: error });
        throw error;
      }
    }
    if (!options.https) throw new Error('https includes are not allowed here');
    return fetchHttps(location.url, options.https);
  };
}
