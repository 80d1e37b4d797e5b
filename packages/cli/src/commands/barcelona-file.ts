import { readFileSync, statSync } from 'node:fs';
import type { AppServiceInput, AppUpdate } from '@overcast/sdk';
import { parse } from 'yaml';
import { z } from 'zod';

/** The file is the operator's, but bounded all the same (a YAML alias bomb or a huge file stops here). */
const maxFileBytes = 1_048_576;

const ServiceEntry = z.object({
  name: z.string(),
  cpu: z.number().int().optional(),
  memory: z.number().int().optional(),
  command: z.string().nullable().optional(),
  public: z.boolean().optional(),
  scale: z.number().int().optional(),
  port_mappings: z.array(z.object({ lb_port: z.number().int(), container_port: z.number().int() })).optional(),
});

/** barcelona.yml as the bcn CLI reads it: `environments.<env>.{name, image_name, before_deploy, scheduled_tasks, services}`. */
const BarcelonaFile = z.object({
  environments: z.record(
    z.string(),
    z.object({
      name: z.string(),
      image_name: z.string().optional(),
      image_tag: z.string().optional(),
      before_deploy: z.string().nullable().optional(),
      scheduled_tasks: z.array(z.object({ schedule: z.string(), command: z.string() })).optional(),
      services: z.array(ServiceEntry).optional(),
    }),
  ),
});

export interface AppFromFile {
  name: string;
  body: AppUpdate & { services: AppServiceInput[] };
}

/**
 * The app one environment of a barcelona.yml describes; each scheduled task becomes a cron service `cron-<n>`, its
 * schedule as written (Barcelona's EventBridge `cron(…)`/`rate(…)`, which the app manager reads as such).
 */
export function readBarcelonaFile(file: string, environment: string): AppFromFile {
  if (statSync(file).size > maxFileBytes) throw new Error(`${file} is larger than 1 MiB`);
  const parsed = BarcelonaFile.safeParse(parse(readFileSync(file, 'utf8'), { maxAliasCount: 100 }));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`${file} is not a barcelona.yml: ${problems.join('; ')}`);
  }
  const entry = parsed.data.environments[environment];
  if (!entry) throw new Error(`${file} has no environment ${environment}`);
  const services: AppServiceInput[] = [
    ...(entry.services ?? []),
    ...(entry.scheduled_tasks ?? []).map((task, index) => ({
      name: `cron-${index + 1}`,
      command: task.command,
      schedule: task.schedule,
    })),
  ];
  return {
    name: entry.name,
    body: {
      ...(entry.image_name === undefined ? {} : { image_name: entry.image_name }),
      ...(entry.image_tag === undefined ? {} : { image_tag: entry.image_tag }),
      ...(entry.before_deploy === undefined ? {} : { before_deploy: entry.before_deploy }),
      services,
    },
  };
}
