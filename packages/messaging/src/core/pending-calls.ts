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

  wait(id: string, definition: RpcDefinition, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, new RpcTimeoutError(definition.type, timeoutMs)), timeoutMs);
      this.calls.set(id, { definition, resolve, reject, timer });
    });
  }

  /** A reply arrived; one for a call that already ended (late, duplicate) is ignored. */
  settle(id: string, body: string): void {
    const call = this.take(id);
    if (!call) {
      this.logger.debug({ callId: id }, 'reply to a call that already ended ignored');
      return;
    }
    try {
      call.resolve(resultOfReply(call.definition, body, this.logger));
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
