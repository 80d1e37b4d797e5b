import { sendNotificationCommand, type MessageContext } from '@overcast/contracts';
import type { OutboxWriter } from './ports';
import type { InstanceBuildRecord, InstanceRecord } from './records';

/** Chat messages, worded after pudding's (its operators' Slack searches keep working). */

function placement(build: Pick<InstanceBuildRecord, 'site' | 'env' | 'queue' | 'role'>): string {
  return `_(site=*${build.site}* env=*${build.env}* queue=*${build.queue}* role=*${build.role}*)_`;
}

export function buildStartedText(build: InstanceBuildRecord, instanceIds: string[]): string {
  const what = instanceIds.length === 1 ? `instance \`${instanceIds[0]}\`` : `${instanceIds.length} instances`;
  return `Started ${what} for instance build *${build.id}* ${placement(build)}`;
}

export function buildFailedText(build: InstanceBuildRecord, reason: string): string {
  return `Failed to start instance build *${build.id}* :scream_cat: _(${reason})_ ${placement(build)}`;
}

export function buildFinishedText(build: InstanceBuildRecord, instanceId: string | null): string {
  const what = instanceId ? `instance \`${instanceId}\`` : 'its instances';
  return `Finished starting ${what} for instance build *${build.id}* ${placement(build)}`;
}

/** pudding's words for an instance's lifecycle hooks (its operators search for them). */
export function instanceLifecycleText(
  build: InstanceBuildRecord,
  instanceId: string,
  transition: 'launching' | 'terminating',
): string {
  const what = transition === 'launching' ? 'in service :arrow_up:' : 'out of service :arrow_down:';
  return `Instance \`${instanceId}\` is ${what} for instance build *${build.id}* ${placement(build)}`;
}

export function terminationText(instance: InstanceRecord): string {
  const labels = [instance.site, instance.env, instance.queue, instance.role].filter(Boolean).join('/');
  const upstream = instance.upstreamId ? ` (${instance.upstreamId})` : '';
  return `Terminating *${instance.id}*${upstream} :boom: ${instance.provider}${labels ? ` ${labels}` : ''}`;
}

/** Queued in the caller's transaction; a worker posts it, so a slow chat service never blocks anything. */
export async function queueNotification(
  outbox: OutboxWriter,
  channel: string | null,
  text: string,
  context?: MessageContext,
): Promise<void> {
  await outbox.command(sendNotificationCommand, { channel, text }, context);
}
