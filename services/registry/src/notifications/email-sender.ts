import { createTransport } from 'nodemailer';
import type { Delivery, NotificationSender, SendResult } from '../domain/notifications/notification-ports';

export interface EmailSenderOptions {
  /** smtp://user:pass@host:587 or smtps://…; unset: email notifications fail, saying so. */
  smtpUrl?: string;
  from: string;
  timeoutMs: number;
}

export function emailSubject(delivery: Delivery): string {
  return `[Overcast] ${delivery.event}: deployment ${delivery.deploymentId}`;
}

function emailText(delivery: Delivery): string {
  const { payload } = delivery;
  return [
    `Event: ${delivery.event}`,
    `Deployment: ${delivery.deploymentId}`,
    `Notification: ${delivery.notification}`,
    `At: ${payload.timestamp}`,
    '',
    JSON.stringify(payload.data.details, null, 2),
    '',
  ].join('\n');
}

/** Mails a delivery through the operator's SMTP server (nodemailer); a failed send is tried again. */
export function createEmailSender(options: EmailSenderOptions): NotificationSender & { close(): void } {
  const { smtpUrl } = options;
  const transport = smtpUrl
    ? createTransport(
        {
          url: smtpUrl,
          connectionTimeout: options.timeoutMs,
          greetingTimeout: options.timeoutMs,
          socketTimeout: options.timeoutMs,
        },
        { from: options.from },
      )
    : undefined;
  return {
    async send(delivery: Delivery): Promise<SendResult> {
      if (!transport) return { ok: false, permanent: true, error: 'no SMTP server is configured (SMTP_URL)' };
      if (!delivery.target) {
        return {
          ok: false,
          permanent: true,
          error: 'no address: the notification names no email and the tenant has no registry account',
        };
      }
      try {
        await transport.sendMail({ to: delivery.target, subject: emailSubject(delivery), text: emailText(delivery) });
        return { ok: true };
      } catch (error) {
        return { ok: false, permanent: false, error: (error as Error).message };
      }
    },
    close: () => transport?.close(),
  };
}
