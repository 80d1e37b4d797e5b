import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { helloWebRequestsPerConnection } from '@overcast/providers';
import { measureAlternating, medianRatio, requireResult } from '../lib/alternating-rounds';
import { startChildService } from '../lib/child-service';
import { formatLoad } from '../lib/http-load';
import { formatTargetCheck, targetCheck } from '../lib/targets';
import { balancerProtocols, type BenchedProtocol, type LocalBalancerUrls } from './local-balancer-urls';

// Bounded so the run stays under a minute on the shared 2-core machine.
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const secondsPerRun = Number(process.env.BENCH_SECONDS ?? 4);
const connections = 50;
const perConnection = helloWebRequestsPerConnection;

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
    const { balancers, direct, tasks } = child.info;
    console.log(
      `local load balancer benchmark: GET / answered per second by hello-web at scale ${tasks}, through each kind ` +
        `of balancer beside one of its tasks straight; ${rounds} alternating rounds of ${secondsPerRun} s. The same ` +
        `client for every target: autocannon, ${connections} connections, each kept alive for ${perConnection} ` +
        `requests (hello-web's own policy, which it applies on its address and on the balancer's alike).`,
    );
    console.log(
      `host load (1, 5, 15 min): ${loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')} on ${cpus().length} cores`,
    );
    const directLabel = 'one hello-web task, straight';
    const labels: Record<BenchedProtocol, string> = {
      'reuse-port': `reuse-port balancer over ${tasks} tasks (the default: kernel spreads connections)`,
      http: `http balancer over ${tasks} tasks (proxied per request)`,
      tcp: `tcp balancer over ${tasks} tasks (piped per connection)`,
    };
    const results = await measureAlternating(
      [
        { label: directLabel, load: { url: direct, connections, requestsPerConnection: perConnection } },
        ...balancerProtocols.map((protocol) => ({
          label: labels[protocol],
          load: { url: balancers[protocol], connections, requestsPerConnection: perConnection },
        })),
      ],
      { rounds, secondsPerRun, warmupSeconds: 2 },
    );
    const straight = requireResult(results, directLabel);
    console.log(formatLoad(directLabel, straight));
    for (const protocol of balancerProtocols)
      console.log(formatLoad(labels[protocol], requireResult(results, labels[protocol]), straight));
    // The target is the default's; the other kinds are printed above (their share of one task) as the options the
    // default was chosen over, with no target of their own.
    const [defaultProtocol] = balancerProtocols;
    const check = targetCheck(
      `${defaultProtocol} balancer (the default) vs one task straight`,
      medianRatio(requireResult(results, labels[defaultProtocol]), straight),
      0.7,
      'ratio',
    );
    console.log(formatTargetCheck(check));
    if (!check.met) process.exitCode = 1;
  } finally {
    await child.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
