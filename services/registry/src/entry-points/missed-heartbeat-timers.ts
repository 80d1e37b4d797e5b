/**
 * A datacenter is down once its heartbeats stop for `timeoutMs` (the reconcile's rule); this sees that moment
 * rather than the reconcile job's next tick. Each heartbeat answered here re-arms its datacenter's timer; one that
 * fires runs `missed` (a reconcile pass, which decides and places). A datacenter whose agent moved to another
 * replica costs one pass that changes nothing. One timer per datacenter heartbeating to this replica.
 */
export function createMissedHeartbeatTimers(options: { timeoutMs: number; missed: () => void }) {
  const timers = new Map<string, NodeJS.Timeout>();
  // The reconcile's test is "older than the timeout": fire just past it.
  const delayMs = options.timeoutMs + 5;
  return {
    heartbeat(datacenterId: string): void {
      const armed = timers.get(datacenterId);
      if (armed) {
        armed.refresh();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(datacenterId);
        options.missed();
      }, delayMs);
      timer.unref();
      timers.set(datacenterId, timer);
    },
    stopAll(): void {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

export type MissedHeartbeatTimers = ReturnType<typeof createMissedHeartbeatTimers>;
