import { serviceStatusOf, type DistrictPlatform } from '@overcast/providers';
import { nextRunOf } from './schedule-ticks';
import { type DomainContext, platformOf, sleep } from './context';
import { clientTokenOf, deployStepsOf, type DeployStep } from './deploy-steps';
import { driftOf } from './drift';
import type { NewEvent, StepCompletion } from './ports';
import { failedStepCompletion, refusedStepCompletion } from './provider-refusal';
import { imagePath, type DeployRecord } from './records';
import { oneoffTaskDefinition, serviceTaskDefinition } from './task-definitions';
import { waitForTask } from './wait-for-task';

const show = (value: unknown) => JSON.stringify(value);

/**
 * Barcelona's DeployRunnerJob and MonitorDeploymentJob as one resumable workflow: each step's provider calls are
 * idempotent (deterministic names, the step's client token) and its completion is committed with its events, so
 * the job, redelivered after a crash at any point, resumes at the first uncommitted step and makes nothing twice.
 */
export function createDeployWorkflow(context: DomainContext) {
  const { store, clock, settings, crashPoint, logger } = context;

  async function beginStep(deploy: DeployRecord, platform: DistrictPlatform): Promise<StepCompletion> {
    await platform.ensureCluster();
    const image = imagePath(deploy.release.spec);
    return {
      events: [
        { level: 'good', message: `Deploying ${deploy.appName}(${image}) to ${deploy.district.name} district...` },
      ],
    };
  }

  async function beforeDeployStep(
    deploy: DeployRecord,
    platform: DistrictPlatform,
    command: string,
  ): Promise<StepCompletion> {
    const { spec, env, version } = deploy.release;
    const definition = await platform.registerTaskDefinition(
      oneoffTaskDefinition(deploy.appName, imagePath(spec) ?? '', env, version),
    );
    const started = await platform.runTask({
      app: deploy.appName,
      taskDefinition: definition.id,
      command,
      clientToken: clientTokenOf(deploy.id, 'before_deploy'),
    });
    await crashPoint('before_deploy:started');
    const deadline = deploy.startedAt.getTime() + settings.deployTimeoutMs;
    const task = await waitForTask(platform, started.id, deadline, settings.pollIntervalMs);
    if (task?.status !== 'STOPPED' || task.exitCode !== 0) {
      return {
        events: [{ level: 'error', message: `The command \`${command}\` failed. Stopped deploying.` }],
        finish: 'failed',
      };
    }
    return { events: [{ level: 'good', message: `before_deploy script \`${command}\` successfully finished` }] };
  }

  async function serviceStep(deploy: DeployRecord, platform: DistrictPlatform, name: string): Promise<StepCompletion> {
    const { spec, env, version } = deploy.release;
    const service = spec.services.find((candidate) => candidate.name === name);
    if (!service) return { events: [] };
    const key = { app: deploy.appName, service: name };
    const definition = await platform.registerTaskDefinition(
      serviceTaskDefinition(deploy.appName, spec, service, env, version),
    );
    await crashPoint('service:registered');
    if (service.schedule) {
      const schedule = await platform.scheduleTask({
        ...key,
        schedule: service.schedule,
        taskDefinition: definition.id,
        command: service.command,
      });
      const nextRunAt = schedule.triggeredBy === 'overcast' ? nextRunOf(service.schedule, clock.now()) : null;
      return {
        events: [{ level: 'good', message: `${name} scheduled (${service.schedule})` }],
        schedule: { service: name, nextRunAt },
      };
    }
    const live = await platform.describeService(key);
    const events: NewEvent[] = [];
    if (live?.status === 'ACTIVE' && deploy.applied) {
      // A console edit since the last applied release is recorded, then overwritten by this release.
      for (const item of driftOf(deploy.appName, deploy.applied, name, live))
        events.push({
          level: 'warn',
          message: `Drift on ${item.path}: release ${deploy.applied.version} set ${show(item.expected)}, found ${show(item.actual)}; release ${version} overwrites it`,
        });
    }
    const loadBalancer =
      live?.status !== 'ACTIVE' && service.portMappings.length > 0
        ? await platform.ensureLoadBalancer({
            ...key,
            public: service.public,
            portMappings: serviceTaskDefinition(deploy.appName, spec, service, env, version).portMappings,
          })
        : undefined;
    if (loadBalancer) await crashPoint('service:load-balancer');
    await platform.ensureService({
      ...key,
      taskDefinition: definition.id,
      desiredCount: service.scale,
      clientToken: clientTokenOf(deploy.id, `service:${name}`),
      ...(loadBalancer ? { loadBalancer } : {}),
    });
    await crashPoint('service:ensured');
    // A service already running keeps the balancer it was made with: its endpoint is recorded again from the live
    // state, so a step redelivered after its service was made (a crash before the commit) still records it.
    const dnsName = loadBalancer?.dnsName ?? (live?.status === 'ACTIVE' ? live.loadBalancer?.dnsName : undefined);
    return { events, ...(dnsName ? { endpoint: { service: name, dnsName } } : {}) };
  }

  function supersededCompletion(deploy: DeployRecord): StepCompletion {
    return {
      events: [
        {
          level: 'warn',
          message: `Release ${deploy.release.version} was superseded by a newer release before it finished`,
        },
      ],
      finish: 'superseded',
    };
  }

  async function monitorStep(deploy: DeployRecord, platform: DistrictPlatform): Promise<StepCompletion> {
    const image = imagePath(deploy.release.spec);
    const services = deploy.release.spec.services.filter((service) => !service.schedule);
    const deadline = deploy.startedAt.getTime() + settings.deployTimeoutMs;
    let pause = settings.pollIntervalMs;
    for (;;) {
      const pending: string[] = [];
      for (const service of services) {
        const live = await platform.describeService({ app: deploy.appName, service: service.name });
        if (serviceStatusOf(live) !== 'active') pending.push(service.name);
      }
      if (pending.length === 0) {
        return {
          events: services.map((service) => ({
            level: 'good' as const,
            message: `${service.name}(${image}) deployed`,
          })),
          finish: 'done',
        };
      }
      if (clock.now().getTime() >= deadline) {
        return {
          events: pending.map((name) => ({
            level: 'error' as const,
            message: `Deploying ${name}(${image}) timed out`,
          })),
          finish: 'timed_out',
        };
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 1_000);
      const current = await store.findDeploy(deploy.id);
      if (current?.superseded) return supersededCompletion(deploy);
    }
  }

  function runStep(deploy: DeployRecord, platform: DistrictPlatform, step: DeployStep): Promise<StepCompletion> {
    switch (step.kind) {
      case 'begin':
        return beginStep(deploy, platform);
      case 'before_deploy':
        return beforeDeployStep(deploy, platform, step.command);
      case 'service':
        return serviceStep(deploy, platform, step.service);
      case 'monitor':
        return monitorStep(deploy, platform);
    }
  }

  return {
    /** The app.deploy.advance job: run from the committed step to the end. Safe to run again at any point. */
    async advanceDeploy(deployId: string): Promise<void> {
      const found = await store.findDeploy(deployId);
      if (!found || found.state !== 'running') return;
      // Read once: each committed step moves this copy on (the commit says whether a newer release came).
      let deploy = found;
      const steps = deployStepsOf(deploy.release.spec);
      const platform = platformOf(context, deploy.tenantId, deploy.district);
      for (;;) {
        const step = steps[deploy.step];
        if (!step) return;
        // A newer release's deploy takes over between steps (the monitor also looks while it waits).
        const completion = deploy.superseded
          ? supersededCompletion(deploy)
          : await runStep(deploy, platform, step).catch((error: unknown) => {
              const refused = refusedStepCompletion(deploy, step, error);
              logger.warn({ deployId, step: step.kind, err: error }, 'the provider refused a deploy step');
              return refused;
            });
        await crashPoint(`commit:${step.kind}`);
        const finish = completion.finish ?? (deploy.step === steps.length - 1 ? 'done' : undefined);
        const { committed, superseded } = await store.completeStep(deploy, deploy.step, {
          ...completion,
          ...(finish ? { finish } : {}),
        });
        if (!committed || finish) return;
        deploy = { ...deploy, step: deploy.step + 1, superseded };
      }
    },

    /**
     * The backstop of failDeploy: a deploy still `running` past its timeout has no job left to end it (its job was
     * dead-lettered by the broker itself, say after a process killed on it at every delivery), so it is ended
     * `timed_out` here, as the monitor ends one whose services never settle. A live job's later commit finds it ended.
     */
    async timeOutStaleDeploys(): Promise<number> {
      const startedBefore = new Date(clock.now().getTime() - settings.deployTimeoutMs);
      let ended = 0;
      for (const deployId of await store.findStaleDeploys(startedBefore, 100)) {
        const deploy = await store.findDeploy(deployId);
        if (!deploy || deploy.state !== 'running') continue;
        const image = imagePath(deploy.release.spec);
        const services = deploy.release.spec.services.filter((service) => !service.schedule);
        const { committed } = await store.completeStep(deploy, deploy.step, {
          events: services.map((service) => ({
            level: 'error' as const,
            message: `Deploying ${service.name}(${image}) timed out`,
          })),
          finish: 'timed_out',
        });
        if (committed) ended += 1;
      }
      return ended;
    },

    /**
     * The job's last attempt failed too (retries spent): the deploy ends `failed` at the step it had not committed,
     * with an error event naming the step and `error`, so no deploy is left `running` behind a dead-lettered job.
     */
    async failDeploy(deployId: string, error: unknown): Promise<void> {
      const deploy = await store.findDeploy(deployId);
      const step = deploy && deploy.state === 'running' ? deployStepsOf(deploy.release.spec)[deploy.step] : undefined;
      if (!deploy || !step) return;
      logger.error({ deployId, step: step.kind, err: error }, 'a deploy step failed its last attempt');
      await store.completeStep(deploy, deploy.step, failedStepCompletion(deploy, step, error));
    },
  };
}

export type DeployWorkflow = ReturnType<typeof createDeployWorkflow>;
