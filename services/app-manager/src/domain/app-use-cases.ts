import {
  AppError,
  type App,
  type AppService,
  type CreateAppRequest,
  type MessageContext,
  type UpdateAppRequest,
} from '@overcast/contracts';
import { draftOfApp, draftOfNewApp, draftOfUpdate } from './app-drafts';
import { type DomainContext, notFound } from './context';
import { presentApp, presentCreatedApp } from './present';
import { requireRunnableImage, someCatalogLacks } from './runnable-image';
import type { AppDraft, AppRecord } from './records';
import { targetOf } from './records';

export function createAppUseCases(context: DomainContext) {
  const { store } = context;

  async function find(tenantId: string, name: string): Promise<AppRecord> {
    const app = await store.findApp(tenantId, name);
    if (!app) throw notFound('app', name);
    return app;
  }

  /** Every change is the app's next release, deployed. */
  async function change(
    app: AppRecord,
    draft: AppDraft,
    description: string,
    messageContext?: MessageContext,
  ): Promise<App> {
    await store.saveAppChange({
      tenantId: app.tenantId,
      districtId: app.district.id,
      appId: app.id,
      draft,
      description,
      context: messageContext,
    });
    return presentApp(context, await find(app.tenantId, app.name));
  }

  return {
    find,
    change,
    async createApp(request: CreateAppRequest, messageContext?: MessageContext): Promise<App> {
      const draft = draftOfNewApp(request.name, request);
      if (someCatalogLacks(context, draft.imageName)) {
        const district = await store.findDistrictRef(request.tenantId, request.district);
        if (!district) throw notFound('district', request.district);
        requireRunnableImage(context, district.provider, draft.imageName);
      }
      const created = await store.createApp({
        tenantId: request.tenantId,
        district: request.district,
        draft,
        description: 'Created',
        context: messageContext,
      });
      if (!created) throw notFound('district', request.district);
      const { district, saved } = created;
      // Answered from what was just written: no read back, no provider call.
      return presentCreatedApp({
        id: saved.appId,
        tenantId: request.tenantId,
        name: draft.name,
        district,
        imageName: draft.imageName,
        imageTag: draft.imageTag,
        beforeDeploy: draft.beforeDeploy,
        slackUrl: draft.slackUrl,
        release: saved.release,
        appliedRelease: null,
        services: saved.services.map((service) => ({ ...service, endpointDns: null })),
        env: draft.env,
        deployState: 'running',
      });
    },
    async listApps(tenantId: string, districtName?: string): Promise<{ apps: App[] }> {
      let districtId: string | undefined;
      if (districtName !== undefined) {
        const district = await store.findDistrictRef(tenantId, districtName);
        if (!district) throw notFound('district', districtName);
        districtId = district.id;
      }
      const apps = await store.listApps(tenantId, districtId);
      return { apps: await Promise.all(apps.map((app) => presentApp(context, app))) };
    },
    async getApp(tenantId: string, name: string): Promise<App> {
      return presentApp(context, await find(tenantId, name));
    },
    async updateApp(request: UpdateAppRequest, messageContext?: MessageContext): Promise<App> {
      const app = await find(request.tenantId, request.app);
      const draft = draftOfUpdate(app, request);
      requireRunnableImage(context, app.district.provider, draft.imageName);
      return change(app, draft, 'Updated', messageContext);
    },
    async deleteApp(tenantId: string, name: string): Promise<Record<string, never>> {
      const deleted = await store.deleteApp(tenantId, name, (app) => ({
        tenantId,
        district: targetOf(app.district),
        app: app.name,
        services: app.services.map((service) => service.name),
      }));
      if (!deleted) throw notFound('app', name);
      return {};
    },
    async setEnvVars(tenantId: string, name: string, env: Record<string, string>, messageContext?: MessageContext) {
      const app = await find(tenantId, name);
      const draft = draftOfApp(app);
      draft.env = { ...draft.env, ...env };
      return change(app, draft, `Set ${Object.keys(env).sort().join(', ')}`, messageContext);
    },
    /** An unknown key is a no-op (Barcelona answered 500); a release is made all the same, as for every change. */
    async unsetEnvVars(tenantId: string, name: string, keys: string[], messageContext?: MessageContext) {
      const app = await find(tenantId, name);
      const draft = draftOfApp(app);
      for (const key of keys) delete draft.env[key];
      return change(app, draft, `Unset ${[...keys].sort().join(', ')}`, messageContext);
    },
    async scaleService(
      tenantId: string,
      name: string,
      serviceName: string,
      scale: number,
      messageContext?: MessageContext,
    ): Promise<AppService> {
      const app = await find(tenantId, name);
      const draft = draftOfApp(app);
      const service = draft.services.find((candidate) => candidate.name === serviceName);
      if (!service) throw notFound('service', serviceName);
      if (service.schedule)
        throw new AppError('unprocessable', `${serviceName} is a scheduled service: it has no scale.`, {
          details: [{ path: 'service', message: 'is scheduled' }],
        });
      service.scale = scale;
      const presented = await change(app, draft, `Scaled ${serviceName} to ${scale}`, messageContext);
      const shown = presented.services.find((candidate) => candidate.name === serviceName);
      if (!shown) throw notFound('service', serviceName);
      return shown;
    },
  };
}

export type AppUseCases = ReturnType<typeof createAppUseCases>;
