import { randomBytes } from 'node:crypto';
import { runPacedLoad } from '../lib/paced-load';

/** The flood's own process (see `startFlood`): the valid load's latencies never wait on the flood's event loop. */
export interface FloodJob {
  url: string;
  tokenId: number;
  attacker: string;
  rate: number;
  seconds: number;
}

const job = JSON.parse(process.env.BENCH_FLOOD_JOB ?? '{}') as FloodJob;

/** Loaded and compiled, it waits for the word: its start-up must not land on the valid load's first second. */
process.once('message', () => void flood());
process.send?.({ type: 'ready' });

const flood = () =>
  runPacedLoad({
    url: job.url,
    rate: job.rate,
    seconds: job.seconds,
    // Enough connections that the rate holds even when each answer takes 50 ms.
    connections: Math.max(1, Math.ceil(job.rate / 20)),
    request: {
      setup: (request) => ({
        ...request,
        headers: {
          ...request.headers,
          'x-forwarded-for': job.attacker,
          authorization: `token ${job.tokenId}-${randomBytes(16).toString('hex')}`,
        },
      }),
    },
  }).then(
    (result) => process.send?.({ type: 'result', result }, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
