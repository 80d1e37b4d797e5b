import type { TaskDefinitionInput } from '@overcast/providers';
import { imagePath, type ReleaseSpec } from './records';

type ServiceSpec = ReleaseSpec['services'][number];

/** The task definition of one service of a release (family `<app>-<service>`). */
export function serviceTaskDefinition(
  app: string,
  spec: ReleaseSpec,
  service: ServiceSpec,
  env: Record<string, string>,
  release: number,
): TaskDefinitionInput {
  return {
    app,
    service: service.name,
    image: imagePath(spec) ?? '',
    cpu: service.cpu,
    memory: service.memory,
    command: service.command,
    env,
    portMappings: service.portMappings.map((mapping) => ({
      lbPort: mapping.lb_port,
      containerPort: mapping.container_port,
      hostPort: mapping.host_port,
    })),
    release,
  };
}

/** Barcelona's `<heritage>-oneoff` task definition: cpu 256, memory 256; the command is given per run. */
export function oneoffTaskDefinition(
  app: string,
  image: string,
  env: Record<string, string>,
  release: number,
): TaskDefinitionInput {
  return { app, service: 'oneoff', image, cpu: 256, memory: 256, command: null, env, portMappings: [], release };
}
