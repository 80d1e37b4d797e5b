import type { MessageContext } from '@overcast/contracts';

/** What a job handler knows about the message it is working on (no bus types in the domain). */
export interface JobContext {
  messageId: string;
  /** 1 on the first delivery; the bus dead-letters after `maxAttempts`. */
  attempt: number;
  maxAttempts: number;
  message: MessageContext;
}

export function isLastAttempt(job: JobContext): boolean {
  return job.attempt >= job.maxAttempts;
}

/** Points of the create path where a test may stop the broker, to prove a crash anywhere leaks nothing. */
export type CrashPoint = 'before-provider-call' | 'after-provider-call' | 'after-database-write';

/** Test-only: called at each crash point; throwing there behaves like the process dying at that moment. */
export type CrashPoints = (point: CrashPoint, instanceId: string) => Promise<void>;

export const noCrashPoints: CrashPoints = async () => undefined;
