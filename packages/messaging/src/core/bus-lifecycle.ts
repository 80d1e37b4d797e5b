import { BusUnavailableError } from '../errors';

export type BusState = 'new' | 'starting' | 'started' | 'stopping' | 'stopped';

/** Where a bus is in its life, and the one refusal every transport gives outside of it. */
export class BusLifecycle {
  state: BusState = 'new';

  get started(): boolean {
    return this.state === 'started';
  }

  assertStarted(action: string): void {
    if (this.state !== 'started')
      throw new BusUnavailableError(
        `cannot ${action}: the bus is ${this.state === 'new' ? 'not started' : this.state}`,
      );
  }

  /** A bus starts once; a second start() is a programming error. */
  beginStart(): void {
    if (this.state !== 'new') throw new Error(`the bus was already started (${this.state})`);
    this.state = 'starting';
  }

  /** False when the bus is already stopping or stopped: stop() is then a no-op. */
  beginStop(): boolean {
    if (this.state === 'stopped' || this.state === 'stopping') return false;
    this.state = 'stopping';
    return true;
  }
}
