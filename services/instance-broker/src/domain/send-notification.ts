import type { SendNotification } from '@overcast/contracts';
import type { DomainLogger } from './logger';

/** A chat message sink (Slack-compatible incoming webhook in production). */
export interface Notifier {
  send(message: SendNotification): Promise<void>;
}

/** Without a notifier configured, notifications are logged and dropped on purpose (not an error). */
export function createSendNotification(deps: { notifier: Notifier | undefined; logger: DomainLogger }) {
  return async function sendNotification(message: SendNotification): Promise<void> {
    if (!deps.notifier) {
      deps.logger.debug(
        { channel: message.channel, text: message.text },
        'no notifier configured; notification skipped',
      );
      return;
    }
    await deps.notifier.send(message);
  };
}
