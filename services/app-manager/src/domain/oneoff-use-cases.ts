import type { MessageContext, Oneoff, RemoveApp, SlackNotice } from '@overcast/contracts';
import type { AppUseCases } from './app-use-cases';
import { nextTickOf } from './schedule-ticks';
import { type DomainContext, notFound, platformOf, sleep } from './context';
import { presentOneoff } from './present';
import { oneoffTaskDefinition, serviceTaskDefinition } from './task-definitions';
import { waitForTask } from './wait-for-task';

/** How many due schedules one scheduler pass claims. */
const schedulesPerPass = 100;

export function createOneoffUseCases(context: DomainContext, apps: AppUseCases) {
  const { store, settings, clock } = context;

  return {
    async runOneoff(
      request: {
        tenantId: string;
        app: string;
        command: string;
        image_tag?: string;
        env_vars?: Record<string, string>;
        sync?: boolean;
      },
      messageContext?: MessageContext,
    ): Promise<Oneoff> {
      const app = await apps.find(request.tenantId, request.app);
      let oneoff = await store.insertOneoff({
        tenantId: request.tenantId,
        appId: app.id,
        command: request.command,
        imageTag: request.image_tag ?? null,
        env: request.env_vars ?? {},
        service: null,
        context: messageContext,
      });
      if (request.sync) {
        const deadline = Date.now() + settings.syncOneoffWaitMs;
        while (oneoff.status !== 'stopped' && Date.now() < deadline) {
          await sleep(settings.pollIntervalMs);
          oneoff = (await store.findOneoff(request.tenantId, oneoff.id)) ?? oneoff;
        }
      }
      return presentOneoff(oneoff);
    },
    async getOneoff(tenantId: string, id: string): Promise<Oneoff> {
      const oneoff = await store.findOneoff(tenantId, id);
      if (!oneoff) throw notFound('oneoff', id);
      return presentOneoff(oneoff);
    },
    /**
     * The oneoff.start job: the task (client token = the one-off's id, so a retry never starts a second) with the
     * applied release's image and env under the one-off's own, followed until it stops.
     */
    async startOneoffTask(tenantId: string, oneoffId: string): Promise<void> {
      const oneoff = await store.findOneoff(tenantId, oneoffId);
      if (!oneoff || oneoff.status === 'stopped') return;
      const app = await store.findApp(tenantId, oneoff.appName);
      if (!app) return;
      const version = app.appliedRelease ?? app.release;
      const release = await store.findRelease(app.id, version);
      if (!release) return;
      const { spec } = release;
      const env = { ...release.env, ...oneoff.env };
      const scheduled = oneoff.service ? spec.services.find((service) => service.name === oneoff.service) : undefined;
      const image = `${spec.imageName ?? ''}:${oneoff.imageTag ?? spec.imageTag ?? 'latest'}`;
      const platform = platformOf(context, tenantId, app.district);
      const definition = await platform.registerTaskDefinition(
        scheduled
          ? serviceTaskDefinition(app.name, spec, scheduled, env, version)
          : oneoffTaskDefinition(app.name, image, env, version),
      );
      const started = await platform.runTask({
        app: app.name,
        taskDefinition: definition.id,
        command: scheduled ? scheduled.command : oneoff.command,
        clientToken: oneoff.id,
      });
      await store.updateOneoff(oneoff.id, { taskArn: started.id, status: 'running' });
      const task = await waitForTask(
        platform,
        started.id,
        Date.now() + settings.deployTimeoutMs,
        settings.pollIntervalMs,
      );
      if (task?.status === 'STOPPED') {
        await store.updateOneoff(oneoff.id, {
          status: 'stopped',
          exitCode: task.exitCode,
          reason: task.reason,
          output: task.output,
        });
      }
    },
    /** One pass of the durable scheduler: every due tick becomes a one-off, claimed by exactly one replica. */
    async runDueSchedules(): Promise<number> {
      return store.claimDueSchedules(clock.now(), nextTickOf, schedulesPerPass);
    },
    /** The app.remove job (Barcelona's delete): each service scaled to 0 and deleted, its load balancer and DNS record. */
    async removeApp(job: RemoveApp): Promise<void> {
      const platform = platformOf(context, job.tenantId, job.district);
      for (const service of job.services) await platform.deleteService({ app: job.app, service });
    },
    /** Slack's incoming-webhook shape: one attachment with Barcelona's color and `[<app>] <message>`. */
    async sendSlackNotice(notice: SlackNotice): Promise<void> {
      const response = await fetch(notice.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ attachments: [{ color: notice.color, text: notice.text }] }),
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) throw new Error(`the Slack webhook answered ${response.status}`);
    },
  };
}

export type OneoffUseCases = ReturnType<typeof createOneoffUseCases>;
