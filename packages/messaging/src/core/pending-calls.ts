import type { RpcDefinition } from '@overcast/contracts';
import type { BusLogger } from '../bus-options';
import { RpcTimeoutError } from '../errors';
import { resultOfReply } from './rpc-reply';

interface PendingCall {
  definition: RpcDefinition;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

/** RPCs awaiting their reply, keyed by call id; each ends exactly once: reply, failure or timeout. */
export class PendingCalls {
  private readonly calls = new Map<string, PendingCall>();

  constructor(private readonly logger: BusLogger) {}

  get size(): number {
    return this.calls.size;
  }

  /**
   * Waits until the wall clock passes `deadline` (the one the request carries), not merely until a timer fires:
   * Node timers count from the event loop's cached time and can fire a few ms early, and the caller must not
   * give up while the service may still, by the request's own deadline, start processing it.
   */
  wait(id: string, definition: RpcDefinition, deadline: number, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const expire = (): void => {
        const call = this.calls.get(id);
        if (!call) return;
        const remaining = deadline - Date.now();
        if (remaining > 0) call.timer = setTimeout(expire, remaining);
        else this.fail(id, new RpcTimeoutError(definition.type, timeoutMs));
      };
      this.calls.set(id, { definition, resolve, reject, timer: setTimeout(expire, timeoutMs) });
    });
  }

  has(id: string): boolean {
    return this.calls.has(id);
  }

  /** A reply arrived (parsed from JSON); one for a call that already ended (late, duplicate) is ignored. */
  settle(id: string, reply: unknown): void {
    const call = this.take(id);
    if (!call) {
      this.logger.debug({ callId: id }, 'reply to a call that already ended ignored');
      return;
    }
    try {
      call.resolve(resultOfReply(call.definition, reply, this.logger));
    } catch (error) {
      call.reject(error);
    }
  }

  fail(id: string, error: unknown): void {
    this.take(id)?.reject(error);
  }

  failAll(error: unknown): void {
    for (const id of [...this.calls.keys()]) this.fail(id, error);
  }

  private take(id: string): PendingCall | undefined {
    const call = this.calls.get(id);
    if (!call) return undefined;
    this.calls.delete(id);
    clearTimeout(call.timer);
    return call;
  }
}
