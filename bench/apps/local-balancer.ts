import path from 'node:path';
import { measureAlternating, medianRatio, requireResult } from '../lib/alternating-rounds';
import { startChildService } from '../lib/child-service';
import { formatLoad } from '../lib/http-load';
import { formatTargetCheck, targetCheck } from '../lib/targets';
import type { LocalBalancerUrls } from './local-balancer-process';

// Bounded so the run stays under a minute on the shared 2-core machine.
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const secondsPerRun = Number(process.env.BENCH_SECONDS ?? 4);
const connections = 50;

/**
 * The local provider's load balancer against its own ceiling in the same run: requests per second through the
 * balancer (over the service's tasks) beside the same requests sent straight to one of those tasks.
 */
async function main(): Promise<void> {
  const child = await startChildService<LocalBalancerUrls>(
    'local-balancer',
    path.join(__dirname, 'local-balancer-process.ts'),
    {},
  );
  try {
    const { balancer, tcpBalancer, direct, tasks } = child.info;
    console.log(
      `local load balancer benchmark: hello-web at scale ${tasks}, ${rounds} alternating rounds of ${secondsPerRun} s, ${connections} connections, autocannon`,
    );
    const labels = {
      direct: 'one hello-web task, straight',
      balancer: `http balancer over ${tasks} tasks (per request)`,
      tcp: `tcp balancer over ${tasks} tasks (per connection)`,
    };
    const results = await measureAlternating(
      [
        { label: labels.direct, load: { url: direct, connections } },
        { label: labels.balancer, load: { url: balancer, connections } },
        { label: labels.tcp, load: { url: tcpBalancer, connections } },
      ],
      { rounds, secondsPerRun, warmupSeconds: 2 },
    );
    const straight = requireResult(results, labels.direct);
    const through = requireResult(results, labels.balancer);
    const piped = requireResult(results, labels.tcp);
    console.log(formatLoad(labels.direct, straight));
    console.log(formatLoad(labels.balancer, through, straight));
    console.log(formatLoad(labels.tcp, piped, straight));
    const ratio = (name: string, result: typeof through) =>
      formatTargetCheck(targetCheck(`${name} vs one task straight`, medianRatio(result, straight), 0.7, 'ratio'));
    console.log(ratio('http balancer (the default)', through));
    console.log(ratio('tcp balancer', piped));
  } finally {
    await child.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
