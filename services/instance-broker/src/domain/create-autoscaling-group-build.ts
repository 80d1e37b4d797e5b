import { randomUUID } from 'node:crypto';
import {
  AppError,
  defaultScaleIn,
  defaultScaleOut,
  isAppError,
  provisionAutoscalingGroupBuildCommand,
  type AutoscalingGroupBuild,
  type CreateAutoscalingGroupBuildRequest,
  type MessageContext,
  type ScalingRule,
} from '@overcast/contracts';
import { defaultAutoscalingNameTemplate, renderAutoscalingGroupName } from './autoscaling-group-name';
import { presentAutoscalingGroupBuild } from './present-autoscaling';
import { findInstanceByReference } from './instance-reference';
import type { BrokerStore, Clock } from './ports';
import type { ProviderDirectory } from './provider-directory';

const instancePath = 'body.autoscaling_group_builds.instance_id';
const groupStates = new Set(['starting', 'running']);

/** pudding's Hydrate: each override given replaces its default; one not given (keeps it. */
function withDefaults(defaults: ScalingRule, overrides: Partial<ScalingRule>): ScalingRule {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...defaults, ...Object.fromEntries(given) };
}

function unprocessable(message: string, detail: string): AppError {
  return new AppError('unprocessable', message, { details: [{ path: instancePath, message: detail }] });
}

/**
 * pudding's POST /autoscaling-group-builds: the group is made from one of the tenant's instances (by its id, `i-…`
 * or its provider's id), on that instance's provider. Work that can only fail is refused here, not accepted: an
 * unknown instance, a provider without autoscaling groups (local, gce) or an instance its provider does not run
 * yet answer 422 naming it; a group name another build of the tenant or of the topic gave answers 409. The build and its job are written in one transaction (202).
 */
export function createCreateAutoscalingGroupBuild(deps: {
  store: BrokerStore;
  providers: ProviderDirectory;
  clock: Clock;
}) {
  return async function createAutoscalingGroupBuild(
    request: CreateAutoscalingGroupBuildRequest,
    context?: MessageContext,
  ): Promise<AutoscalingGroupBuild> {
    const instance = await findInstanceByReference(deps.store.instances, request.tenantId, request.instanceId).catch(
      (error: unknown) => {
        if (isAppError(error) && error.code === 'not_found')
          throw unprocessable('The instance is unknown.', `no instance "${request.instanceId}"`);
        throw error;
      },
    );
    if (!deps.providers.find(instance.provider)?.autoscalingGroups) {
      throw unprocessable(
        `Provider "${instance.provider}" has no autoscaling groups.`,
        `the instance runs on provider "${instance.provider}", which has no autoscaling groups`,
      );
    }
    if (!instance.upstreamId || !groupStates.has(instance.state)) {
      throw unprocessable('The instance is not running.', `instance ${instance.id} is ${instance.state}`);
    }
    const id = randomUUID();
    const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
    const nameTemplate = request.nameTemplate ?? defaultAutoscalingNameTemplate;
    const name = renderAutoscalingGroupName(nameTemplate, {
      ID: id,
      InstanceID: instance.upstreamId,
      InstanceIDWithoutPrefix: instance.upstreamId.replace(/^i-/, ''),
      Role: request.role,
      Site: request.site,
      Env: request.env,
      Queue: request.queue,
      MinSize: request.minSize,
      MaxSize: request.maxSize,
      DesiredCapacity: request.desiredCapacity,
      Timestamp: timestamp,
    });
    const build = await deps.store.transaction(async (tx) => {
      const inserted = await tx.autoscaling.insertBuild({
        id,
        tenantId: request.tenantId,
        provider: instance.provider,
        instanceId: instance.id,
        upstreamInstanceId: instance.upstreamId ?? '',
        name,
        nameTemplate,
        site: request.site,
        env: request.env,
        queue: request.queue,
        role: request.role,
        roleArn: request.roleArn,
        topicArn: request.topicArn,
        instanceType: request.instanceType ?? null,
        minSize: request.minSize,
        maxSize: request.maxSize,
        desiredCapacity: request.desiredCapacity,
        defaultCooldown: request.defaultCooldown ?? null,
        slackChannel: request.slackChannel ?? null,
        timestamp,
        scaleOut: withDefaults(defaultScaleOut, request.scaleOut),
        scaleIn: withDefaults(defaultScaleIn, request.scaleIn),
        state: 'pending',
        step: null,
        scaleOutPolicyArn: null,
        scaleInPolicyArn: null,
        errorReason: null,
      });
      if (inserted === 'name-taken') {
        throw new AppError('conflict', `Another build already names the group "${name}".`, {
          details: [
            {
              path: 'body.autoscaling_group_builds.name_template',
              message: `renders "${name}", the group of another build of this tenant or topic`,
            },
          ],
        });
      }
      await tx.outbox.command(
        provisionAutoscalingGroupBuildCommand,
        { tenantId: inserted.tenantId, buildId: id },
        context,
      );
      return inserted;
    });
    return presentAutoscalingGroupBuild(build);
  };
}
