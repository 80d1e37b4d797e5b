export interface CreateSample {
  id: string;
  /** performance.now() when the POST was sent, and when its 200 arrived (cloud-brain's create status, which its worker client requires). */
  sentAt: number;
  acceptedAt: number;
}

export interface FixedRateOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  rate: number;
  seconds: number;
}

/**
 * POSTs on a fixed schedule (open loop: a slow answer never delays the next send), well under capacity,
 * so the latencies are the pipeline's own and not time spent queueing behind other creates.
 */
export async function createAtFixedRate(
  options: FixedRateOptions,
): Promise<{ samples: CreateSample[]; failures: string[] }> {
  const samples: CreateSample[] = [];
  const failures: string[] = [];
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const started = performance.now();
  const sends: Promise<void>[] = [];

  async function sendOne(): Promise<void> {
    const sentAt = performance.now();
    try {
      const response = await fetch(options.url, { method: 'POST', headers: options.headers, body: options.body });
      const text = await response.text();
      if (response.status !== 200) {
        failures.push(`${response.status} ${text.slice(0, 200)}`);
        return;
      }
      samples.push({ id: (JSON.parse(text) as { id: string }).id, sentAt, acceptedAt: performance.now() });
    } catch (error) {
      failures.push(String(error));
    }
  }

  for (let index = 0; index < total; index += 1) {
    const waitMs = started + index * intervalMs - performance.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    sends.push(sendOne());
  }
  await Promise.all(sends);
  return { samples, failures };
}
