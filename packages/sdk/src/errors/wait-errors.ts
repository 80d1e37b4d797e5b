import { OvercastError } from './api-errors.ts';

/** A waiter gave up: the deadline passed, or the resource reached a state it cannot leave. */
export class WaitError extends OvercastError {
  override name = 'WaitError';
  readonly reason: 'timeout' | 'unreachable';
  readonly lastState: string | undefined;

  constructor(message: string, reason: 'timeout' | 'unreachable', lastState: string | undefined) {
    super(message);
    this.reason = reason;
    this.lastState = lastState;
  }
}

/** `instances.waitFor` gave up. */
export class InstanceWaitError extends WaitError {
  override name = 'InstanceWaitError';
}

/** `builds.waitFor` gave up. */
export class BuildWaitError extends WaitError {
  override name = 'BuildWaitError';
}

/** `apps.waitForDeploy` gave up: the deploy failed, timed out, was superseded, or the wait's deadline passed. */
export class DeployWaitError extends WaitError {
  override name = 'DeployWaitError';
}
