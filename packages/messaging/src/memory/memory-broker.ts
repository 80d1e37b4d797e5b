import type { DeadLetter } from '../bus';
import { MemoryQueue } from './memory-queue';

/**
 * The in-process stand-in for RabbitMQ that memory buses share: queues, bindings, delayed retries and dead letters.
 * Several buses on one broker behave like several processes on one RabbitMQ (competing consumers, RPC between them).
 * Nothing survives the process.
 */
export class MemoryBroker {
  private readonly queues = new Map<string, MemoryQueue>();
  private readonly bindings = new Map<string, Set<string>>();
  private readonly deadLetters = new Map<string, DeadLetter[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Declares the queue if needed, like an idempotent queue declaration. */
  queue(name: string): MemoryQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new MemoryQueue(name);
      this.queues.set(name, queue);
    }
    return queue;
  }

  findQueue(name: string): MemoryQueue | undefined {
    return this.queues.get(name);
  }

  bind(exchange: string, routingKey: string, queueName: string): void {
    const key = `${exchange}\u0000${routingKey}`;
    const bound = this.bindings.get(key) ?? new Set<string>();
    bound.add(queueName);
    this.bindings.set(key, bound);
  }

  /** Every queue bound to `routingKey` on `exchange` (a direct match; the event types have no wildcards). */
  route(exchange: string, routingKey: string): MemoryQueue[] {
    const bound = this.bindings.get(`${exchange}\u0000${routingKey}`) ?? new Set<string>();
    return [...bound].map((name) => this.queue(name));
  }

  /** Runs `deliver` after `delayMs`: the delay queue. It belongs to the broker, so it outlives the consumer that failed. */
  later(delayMs: number, deliver: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      deliver();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  park(queueName: string, letter: DeadLetter): void {
    const letters = this.deadLetters.get(queueName) ?? [];
    letters.push(letter);
    this.deadLetters.set(queueName, letters);
  }

  readDeadLetters(queueName: string, limit: number): DeadLetter[] {
    return (this.deadLetters.get(queueName) ?? []).slice(0, limit);
  }

  /** Drops pending retries; for shutting down a process that owns the broker. */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

export function createMemoryBroker(): MemoryBroker {
  return new MemoryBroker();
}
