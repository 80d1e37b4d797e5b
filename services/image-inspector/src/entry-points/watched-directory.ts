import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAppError } from '@overcast/contracts';
import type { IngestActivityLog } from '../domain/ingest-activity-log';
import type { ImageInspectorLogger } from '../service';

/** Where a file goes once read: kept, so an operator can see what was taken, and never read again. */
export const doneDirectory = '.done';
/** Where a file that is no CloudTrail document (or names no local account) goes, beside `<name>.reason`. */
export const rejectedDirectory = '.rejected';

const accountDirectory = /^[1-9]\d{0,9}$/;

/**
 * CloudTrail files dropped in a watched directory for local accounts: `<directory>/<account id>/<file>` (gzip or
 * plain JSON), each ingested as an upload to that account would be, then moved to `<account id>/.done/`. A file
 * refused (truncated, not JSON, a gzip bomb, an account that is no local account) is moved to `.rejected/` with its
 * reason in `<file>.reason`; any other failure (the database) leaves it where it is for the next pass. Events are
 * idempotent by eventID, so a file read again after a crash before its move adds nothing.
 */
export function createWatchedDirectory(deps: {
  directory: string;
  accounts: { findLocalAccount(id: number): Promise<{ tenantId: string } | null> };
  ingest: IngestActivityLog;
  logger: ImageInspectorLogger;
}) {
  const { directory, accounts, ingest, logger } = deps;

  async function setAside(accountPath: string, name: string, reason: string): Promise<void> {
    await mkdir(join(accountPath, rejectedDirectory), { recursive: true });
    await rename(join(accountPath, name), join(accountPath, rejectedDirectory, name));
    await writeFile(join(accountPath, rejectedDirectory, `${name}.reason`), `${reason}\n`);
    logger.warn({ file: join(accountPath, name), reason }, 'activity log set aside');
  }

  async function ingestAccount(accountPath: string, accountId: number, signal?: AbortSignal) {
    const counts = { ingested: 0, setAside: 0 };
    const files = (await readdir(accountPath, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('.partial'))
      .map((entry) => entry.name)
      .sort();
    if (files.length === 0) return counts;
    const account = await accounts.findLocalAccount(accountId);
    for (const name of files) {
      if (signal?.aborted) break;
      if (!account) {
        await setAside(accountPath, name, `no local account has id ${accountId}`);
        counts.setAside += 1;
        continue;
      }
      try {
        const added = await ingest({
          tenantId: account.tenantId,
          accountId,
          file: createReadStream(join(accountPath, name)),
        });
        await mkdir(join(accountPath, doneDirectory), { recursive: true });
        await rename(join(accountPath, name), join(accountPath, doneDirectory, name));
        logger.info({ file: join(accountPath, name), ...added }, 'activity log ingested');
        counts.ingested += 1;
      } catch (error) {
        if (!isAppError(error) || (error.code !== 'bad_request' && error.code !== 'not_found')) throw error;
        const reasons = error.details.map((detail) => detail.message);
        await setAside(accountPath, name, reasons.length > 0 ? reasons.join('; ') : error.message);
        counts.setAside += 1;
      }
    }
    return counts;
  }

  /** One pass over every account's subdirectory; files are taken in name order (CloudTrail's names sort by time). */
  return async function ingestWatchedDirectory(signal?: AbortSignal): Promise<{ ingested: number; setAside: number }> {
    await mkdir(directory, { recursive: true });
    const totals = { ingested: 0, setAside: 0 };
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      if (!entry.isDirectory() || !accountDirectory.test(entry.name) || signal?.aborted) continue;
      const counts = await ingestAccount(join(directory, entry.name), Number(entry.name), signal);
      totals.ingested += counts.ingested;
      totals.setAside += counts.setAside;
    }
    return totals;
  };
}
