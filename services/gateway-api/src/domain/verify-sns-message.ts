import type { Agent } from 'node:https';
import { AppError } from '@overcast/contracts';
import SnsPayloadValidator from 'sns-payload-validator';

export type SnsMessage = SnsPayloadValidator.SnsPayload;

// The library's refusals, and the field each one is about.
const refusedFields: Readonly<Record<string, string>> = {
  'Invalid Type': 'body.Type',
  'Invalid SignatureVersion': 'body.SignatureVersion',
  'Invalid SigningCertURL': 'body.SigningCertURL',
  'Invalid Signature': 'body.Signature',
};

/** A certificate download that hangs must not hold the request: SNS retries a delivery that failed. */
const certificateTimeoutMs = 10_000;

export interface VerifySnsMessageOptions {
  /**
   * How certificates are fetched (sns-payload-validator's `requestAgent`); default Node's https agent. Tests give an
   * agent that reaches a loopback server holding their own certificate, at the SNS URL the message names.
   */
  certificateAgent?: Agent;
}

/**
 * Checks an SNS message's signature with sns-payload-validator: its SigningCertURL must be an SNS host's
 * (`https://sns.<region>.amazonaws.com[.cn]/SimpleNotificationService-<32>.pem`, the library's rule), and the
 * signature (version 1 or 2) must verify under that certificate, which the library caches by URL. A refusal is
 * `forbidden` naming the field; a certificate that cannot be fetched is `unavailable`, so SNS delivers again.
 */
export function createVerifySnsMessage(options: VerifySnsMessageOptions = {}) {
  const validator = new SnsPayloadValidator(options.certificateAgent ? { requestAgent: options.certificateAgent } : {});
  return async function verifySnsMessage(message: SnsMessage): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('certificate download timed out')), certificateTimeoutMs);
    });
    try {
      await Promise.race([validator.validate(message), timedOut]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const path = refusedFields[reason];
      if (path) {
        throw new AppError('forbidden', `the SNS signature does not verify: ${reason}`, {
          details: [{ path, message: reason }],
        });
      }
      throw new AppError('unavailable', `the SNS signing certificate could not be fetched: ${reason}`);
    } finally {
      clearTimeout(timer);
    }
  };
}

export type VerifySnsMessage = ReturnType<typeof createVerifySnsMessage>;
