import type { DriftItem, MessageContext, Release } from '@overcast/contracts';
import type { AppUseCases } from './app-use-cases';
import { type DomainContext, notFound, platformOf } from './context';
import { driftOf } from './drift';
import { presentEvent, presentRelease } from './present';
import { requireRunnableImage } from './runnable-image';

export function createReleaseUseCases(context: DomainContext, apps: AppUseCases) {
  const { store } = context;

  async function findRelease(tenantId: string, name: string, version: number) {
    const app = await apps.find(tenantId, name);
    const release = await store.findRelease(app.id, version);
    if (!release) throw notFound('release', String(version));
    return { app, release };
  }

  return {
    async listReleases(tenantId: string, name: string): Promise<{ releases: Release[] }> {
      const app = await apps.find(tenantId, name);
      return { releases: (await store.listReleases(app.id)).map(presentRelease) };
    },
    async getRelease(tenantId: string, name: string, version: number): Promise<Release> {
      return presentRelease((await findRelease(tenantId, name, version)).release);
    },
    /**
     * A new release equal to `version` (image, services, env), deployed; refused with 422 when the release's image
     * is one the district's catalog no longer runs (its deploy could only fail).
     */
    async rollback(tenantId: string, name: string, version: number, messageContext?: MessageContext): Promise<Release> {
      const { app, release } = await findRelease(tenantId, name, version);
      const { spec } = release;
      requireRunnableImage(context, app.district.provider, spec.imageName, 'path.version');
      const { release: created } = await store.saveAppChange({
        tenantId,
        districtId: app.district.id,
        appId: app.id,
        draft: {
          name: app.name,
          imageName: spec.imageName,
          imageTag: spec.imageTag,
          beforeDeploy: spec.beforeDeploy,
          slackUrl: app.slackUrl,
          services: spec.services,
          env: release.env,
        },
        description: `Rollback to v${version}`,
        context: messageContext,
      });
      return presentRelease((await findRelease(tenantId, name, created)).release);
    },
    async listEvents(tenantId: string, name: string, limit = 100) {
      const app = await apps.find(tenantId, name);
      return { events: (await store.listEvents(app.id, limit)).map(presentEvent) };
    },
    /** What the provider runs now that differs from the last applied release, each difference with its path. */
    async drift(tenantId: string, name: string): Promise<{ release: number | null; drift: DriftItem[] }> {
      const app = await apps.find(tenantId, name);
      if (app.appliedRelease === null) return { release: null, drift: [] };
      const applied = await store.findRelease(app.id, app.appliedRelease);
      if (!applied) throw notFound('release', String(app.appliedRelease));
      const platform = platformOf(context, tenantId, app.district);
      const drift: DriftItem[] = [];
      for (const service of applied.spec.services) {
        if (service.schedule) continue;
        drift.push(
          ...driftOf(
            app.name,
            applied,
            service.name,
            await platform.describeService({ app: app.name, service: service.name }),
          ),
        );
      }
      return { release: applied.version, drift };
    },
  };
}

export type ReleaseUseCases = ReturnType<typeof createReleaseUseCases>;
