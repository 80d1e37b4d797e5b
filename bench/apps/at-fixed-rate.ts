export interface FixedRateSample {
  index: number;
  /** performance.now() when the request was sent, and when its 2xx answer arrived. */
  sentAt: number;
  answeredAt: number;
}

/**
 * Sends `request(index)` on a fixed schedule (open loop: a slow answer never delays the next send), well under
 * capacity, so latencies are the pipeline's own and not time queued behind other requests. The same fetch client
 * for whatever is sent, so two runs compare like with like.
 */
export async function sendAtFixedRate(options: {
  rate: number;
  seconds: number;
  request(index: number): { url: string; init: RequestInit };
}): Promise<{ samples: FixedRateSample[]; failures: string[] }> {
  const samples: FixedRateSample[] = [];
  const failures: string[] = [];
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const started = performance.now();
  const sends: Promise<void>[] = [];

  async function sendOne(index: number): Promise<void> {
    const { url, init } = options.request(index);
    const sentAt = performance.now();
    try {
      const response = await fetch(url, init);
      const text = await response.text();
      if (response.status >= 300) failures.push(`${response.status} ${text.slice(0, 200)}`);
      else samples.push({ index, sentAt, answeredAt: performance.now() });
    } catch (error) {
      failures.push(String(error));
    }
  }

  for (let index = 0; index < total; index += 1) {
    const waitMs = started + index * intervalMs - performance.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    sends.push(sendOne(index));
  }
  await Promise.all(sends);
  return { samples, failures };
}
