/**
 * A delay that `wake()` cuts short. A wake that arrives while nobody waits is remembered, so a
 * notification landing mid-batch makes the next wait return at once instead of being lost.
 */
export function createWakeableDelay() {
  let pendingWake = false;
  let current: { timer: NodeJS.Timeout; resolve: () => void } | null = null;

  function wait(ms: number): Promise<void> {
    if (pendingWake) {
      pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        current = null;
        resolve();
      }, ms);
      current = { timer, resolve };
    });
  }

  function wake(): void {
    if (!current) {
      pendingWake = true;
      return;
    }
    clearTimeout(current.timer);
    const { resolve } = current;
    current = null;
    resolve();
  }

  return { wait, wake };
}
