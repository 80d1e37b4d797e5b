import type { SendNotification } from '@overcast/contracts';
import { tracedFetch } from '@overcast/service-kit';
import type { SlackVariables } from '../config';
import type { Notifier } from '../domain/send-notification';

export interface SlackWebhookOptions {
  /** Incoming-webhook URL (operator configuration; it is a credential, never logged). */
  url: string;
  username?: string;
  iconEmoji?: string;
  timeoutMs?: number;
}

/**
 * Exactly one leading `#`. pudding's check was reversed (`HasPrefix("#", channel)`), so `#general`
 * became `##general` and `general` stayed without one.
 */
export function slackChannelName(channel: string): string {
  return `#${channel.replace(/^#+/, '')}`;
}

/** Posts pudding's payload shape `{text, channel, username, icon_emoji}` to a Slack-compatible webhook. */
export function createSlackWebhookNotifier(options: SlackWebhookOptions): Notifier {
  return {
    async send(message: SendNotification): Promise<void> {
      const body: Record<string, string> = {
        text: message.text,
        username: options.username ?? 'overcast',
        icon_emoji: options.iconEmoji ?? ':cloud:',
      };
      if (message.channel) body.channel = slackChannelName(message.channel);
      const response = await tracedFetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      // Thrown so the bus retries with backoff (and finally parks it, with this reason).
      if (!response.ok) throw new Error(`notification webhook answered ${response.status} ${response.statusText}`);
      await response.body?.cancel();
    },
  };
}

/** The notifier the operator configured (SLACK_WEBHOOK_URL), or none: the broker's main and `pnpm start` alike. */
export function createNotifierFromConfig(variables: SlackVariables): Notifier | undefined {
  return variables.SLACK_WEBHOOK_URL
    ? createSlackWebhookNotifier({
        url: variables.SLACK_WEBHOOK_URL,
        username: variables.SLACK_USERNAME,
        iconEmoji: variables.SLACK_ICON_EMOJI,
      })
    : undefined;
}
