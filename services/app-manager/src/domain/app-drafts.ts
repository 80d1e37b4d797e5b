import { AppError, type AppFields, type ServiceInput } from '@overcast/contracts';
import { ScheduleSyntaxError } from '@overcast/providers';
import type { AppDraft, AppRecord, ServiceDraft } from './records';
import { nextRunOf } from './schedule-ticks';

/** Barcelona's service defaults (cpu 512, memory 512) plus Overcast's scale 1. */
const serviceDefaults = {
  cpu: 512,
  memory: 512,
  command: null,
  public: false,
  scale: 1,
  schedule: null,
  portMappings: [],
};

/** Why the schedule cannot run, or undefined when it can. */
function scheduleProblem(schedule: string): string | undefined {
  try {
    nextRunOf(schedule, new Date());
    return undefined;
  } catch (error) {
    if (error instanceof ScheduleSyntaxError) return error.message;
    // cron-parser refuses a cron that never matches a date (`0 0 31 2 *`).
    return 'never runs';
  }
}

function checkServices(services: ServiceInput[]): void {
  const seen = new Set<string>();
  const details: { path: string; message: string }[] = [];
  services.forEach((service, index) => {
    if (seen.has(service.name))
      details.push({ path: `body.services[${index}].name`, message: 'is not unique in the app' });
    seen.add(service.name);
    const problem = service.schedule ? scheduleProblem(service.schedule) : undefined;
    if (problem) details.push({ path: `body.services[${index}].schedule`, message: problem });
  });
  if (details.length > 0) throw new AppError('bad_request', 'The services are invalid.', { details });
}

function newService(input: ServiceInput): ServiceDraft {
  return {
    ...serviceDefaults,
    name: input.name,
    cpu: input.cpu ?? serviceDefaults.cpu,
    memory: input.memory ?? serviceDefaults.memory,
    command: input.command ?? null,
    public: input.public ?? false,
    scale: input.scale ?? 1,
    schedule: input.schedule ?? null,
    portMappings: input.port_mappings ?? [],
  };
}

/** Barcelona's update: given fields change, the rest is kept; port mappings of an existing service are not updated. */
function mergeService(before: ServiceDraft, input: ServiceInput): ServiceDraft {
  return {
    ...before,
    cpu: input.cpu ?? before.cpu,
    memory: input.memory ?? before.memory,
    command: input.command === undefined ? before.command : input.command,
    public: input.public ?? before.public,
    scale: input.scale ?? before.scale,
    schedule: input.schedule === undefined ? before.schedule : input.schedule,
  };
}

export function draftOfNewApp(name: string, fields: AppFields): AppDraft {
  const services = fields.services ?? [];
  checkServices(services);
  return {
    name,
    imageName: fields.image_name ?? null,
    imageTag: fields.image_tag ?? null,
    beforeDeploy: fields.before_deploy ?? null,
    slackUrl: fields.slack_url ?? null,
    services: services.map(newService),
    env: { ...(fields.env_vars ?? {}) },
  };
}

export function draftOfApp(app: AppRecord): AppDraft {
  return {
    name: app.name,
    imageName: app.imageName,
    imageTag: app.imageTag,
    beforeDeploy: app.beforeDeploy,
    slackUrl: app.slackUrl,
    services: app.services.map(({ endpointDns: _endpoint, ...service }) => service),
    env: { ...app.env },
  };
}

export function draftOfUpdate(app: AppRecord, fields: AppFields): AppDraft {
  const before = draftOfApp(app);
  const inputs = fields.services ?? [];
  checkServices(inputs);
  const services = before.services.map((service) => {
    const input = inputs.find((candidate) => candidate.name === service.name);
    return input ? mergeService(service, input) : service;
  });
  for (const input of inputs)
    if (!before.services.some((service) => service.name === input.name)) services.push(newService(input));
  return {
    name: app.name,
    imageName: fields.image_name === undefined ? before.imageName : fields.image_name,
    imageTag: fields.image_tag === undefined ? before.imageTag : fields.image_tag,
    beforeDeploy: fields.before_deploy === undefined ? before.beforeDeploy : fields.before_deploy,
    slackUrl: fields.slack_url === undefined ? before.slackUrl : fields.slack_url,
    services,
    env: { ...before.env, ...(fields.env_vars ?? {}) },
  };
}
