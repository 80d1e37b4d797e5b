import { hkdfSync } from 'node:crypto';

/**
 * A deployment's Standard Webhooks signing secret (`whsec_` + base64 of 32 bytes), derived from the operator's
 * encryption key with HKDF-SHA256 over the deployment id: nothing to store or seal, the same on every replica, and
 * unrelated between deployments, so one tenant's secret says nothing of another's. Changing
 * OVERCAST_ENCRYPTION_KEY changes every secret (receivers must take the new one from GET /deployments/{id}).
 */
export function deriveWebhookSecret(secretsKeyHex: string, deploymentId: string): string {
  const key = hkdfSync('sha256', Buffer.from(secretsKeyHex, 'hex'), deploymentId, 'overcast webhook signing', 32);
  return `whsec_${Buffer.from(key).toString('base64')}`;
}
