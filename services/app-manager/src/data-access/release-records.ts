import type { AppStore } from '../domain/ports';
import type { SecretBox } from '../domain/secret-box';
import type { AppManagerPrisma } from './prisma-client';
import { toRelease } from './rows';

export type ReleaseRecords = Pick<AppStore, 'listReleases' | 'findRelease' | 'listEvents'>;

/** An app's releases, each with the state of its newest deploy, and its deploy events, newest first. */
export function createReleaseRecords(prisma: AppManagerPrisma, secrets: SecretBox): ReleaseRecords {
  async function deployStateOf(appId: string, version: number): Promise<string | null> {
    const deploy = await prisma.deploy.findFirst({
      where: { appId, release: version },
      orderBy: { startedAt: 'desc' },
    });
    return deploy?.state ?? null;
  }

  return {
    async listReleases(appId) {
      const rows = await prisma.release.findMany({ where: { appId }, orderBy: { version: 'desc' } });
      const deploys = await prisma.deploy.findMany({ where: { appId }, orderBy: { startedAt: 'asc' } });
      const stateOf = new Map(deploys.map((deploy) => [deploy.release, deploy.state]));
      return rows.map((row) => toRelease(row, secrets, stateOf.get(row.version) ?? null));
    },
    async findRelease(appId, version) {
      const row = await prisma.release.findUnique({ where: { appId_version: { appId, version } } });
      return row ? toRelease(row, secrets, await deployStateOf(appId, version)) : null;
    },
    async listEvents(appId, limit) {
      const rows = await prisma.appEvent.findMany({ where: { appId }, orderBy: { seq: 'desc' }, take: limit });
      return rows.map((row) => ({
        id: row.id,
        level: row.level as 'good' | 'warn' | 'error',
        message: row.message,
        release: row.release,
        createdAt: row.createdAt,
      }));
    },
  };
}
