import { addressRefused, requestHttps } from '@overcast/deployment-config';
import { Webhook } from 'standardwebhooks';
import type { Delivery, NotificationSender, SendResult } from '../domain/notifications/notification-ports';

export interface WebhookSenderOptions {
  /** Host names webhooks may go to: exact, `*.example.com` (its subdomains) or `*` (any public host). */
  allowedHosts: readonly string[];
  /** Networks (CIDR) beyond the public internet a host may resolve to; loopback and private ones are refused else. */
  allowedNetworks: readonly string[];
  /** Extra CAs (PEM) receivers may be certified by; the system's otherwise. */
  ca?: string;
  timeoutMs: number;
  secretFor(deploymentId: string): string;
}

/** The receiver's answer is read only this far: it says nothing the status does not. */
const maxAnswerBytes = 65_536;

export function isHostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return allowedHosts.some((allowed) => {
    if (allowed === '*') return true;
    if (allowed.startsWith('*.')) return name.endsWith(allowed.slice(1).toLowerCase());
    return name === allowed.toLowerCase();
  });
}

/**
 * POSTs a delivery's payload signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature
 * `v1,<base64 HMAC-SHA256 of id.timestamp.body>` under the deployment's `whsec_` secret). Only to hosts the
 * operator allows, and only to addresses the policy allows once the name is resolved (the connection goes to the
 * address checked); redirects are not followed. Any 2xx is accepted; everything else is tried again.
 */
export function createWebhookSender(options: WebhookSenderOptions): NotificationSender {
  return {
    async send(delivery: Delivery): Promise<SendResult> {
      if (!delivery.target) return { ok: false, permanent: true, error: 'the notification has no url' };
      const url = new URL(delivery.target);
      if (url.protocol !== 'https:') return { ok: false, permanent: true, error: 'only https URLs are sent to' };
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (!isHostAllowed(host, options.allowedHosts)) {
        return { ok: false, permanent: true, error: `${host} is not a host webhooks may be sent to` };
      }
      const body = JSON.stringify(delivery.payload);
      // The receiver compares the timestamp with its own clock: the wall clock, whatever the registry's clock says.
      const sentAt = new Date();
      const signature = new Webhook(options.secretFor(delivery.deploymentId)).sign(delivery.id, sentAt, body);
      try {
        const { status } = await requestHttps(
          url.href,
          {
            allowedNetworks: options.allowedNetworks,
            ca: options.ca,
            timeoutMs: options.timeoutMs,
            maxBytes: maxAnswerBytes,
          },
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': String(Buffer.byteLength(body)),
              'user-agent': 'Overcast-Registry',
              'webhook-id': delivery.id,
              'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
              'webhook-signature': signature,
            },
            body,
          },
        );
        if (status >= 200 && status < 300) return { ok: true };
        return { ok: false, permanent: false, error: `answered ${status}` };
      } catch (error) {
        const { code, message } = error as NodeJS.ErrnoException;
        return { ok: false, permanent: code === addressRefused, error: message };
      }
    },
  };
}
