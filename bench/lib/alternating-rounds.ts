import { runLoad, type LoadOptions, type LoadResult } from './http-load';
import type { CostMeter, Costs } from './costs';

export interface LoadTarget {
  /** Printed, and the key of the returned map. */
  label: string;
  load: Omit<LoadOptions, 'durationSeconds'>;
}

export interface AlternatingOptions {
  rounds: number;
  secondsPerRun: number;
  /** A short unmeasured run per target first: JIT, pools, caches (a token's first scrypt) warm up. */
  warmupSeconds: number;
  log?: (line: string) => void;
  /** When given, each run also records what it cost (CPU per process, database queries per service). */
  meter?: CostMeter;
}

export type MeasuredLoad = LoadResult & { costs?: Costs };
/** A target's median round, with every round's result in order (for per-round ratios). */
export type AlternatingResult = MeasuredLoad & { rounds: MeasuredLoad[] };

/** The round whose throughput is the median: its latencies come from the same run as its throughput. */
function medianRun(runs: MeasuredLoad[]): MeasuredLoad {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error('no runs to take the median of');
  return median;
}

/**
 * Runs every target once per round, in turn (the order reversed every other round), and keeps each target's
 * median round. On a shared machine load from elsewhere comes and goes; alternating spreads it over all targets.
 */
export async function measureAlternating(
  targets: LoadTarget[],
  options: AlternatingOptions,
): Promise<Map<string, AlternatingResult>> {
  const log = options.log ?? (() => undefined);
  for (const target of targets) await runLoad({ ...target.load, durationSeconds: options.warmupSeconds });
  const runs = new Map<string, MeasuredLoad[]>(targets.map((target) => [target.label, []]));
  const meter = options.meter;
  const measure = async (load: LoadOptions): Promise<MeasuredLoad> => {
    if (!meter) return runLoad(load);
    const { result, costs } = await meter(() => runLoad(load));
    return { ...result, costs };
  };
  for (let round = 1; round <= options.rounds; round += 1) {
    // Forward, then backward (ABBA): load that rises or falls over a round weighs on each target evenly.
    for (const target of round % 2 === 1 ? targets : [...targets].reverse()) {
      runs.get(target.label)?.push(await measure({ ...target.load, durationSeconds: options.secondsPerRun }));
    }
    const line = targets.map((target) => {
      const result = runs.get(target.label)?.at(-1);
      return `${target.label} ${result?.requestsPerSecond}/s p99 ${result?.p99Ms} ms`;
    });
    log(`  round ${round}: ${line.join(' | ')}`);
  }
  return new Map([...runs].map(([label, results]) => [label, { ...medianRun(results), rounds: results }]));
}

/**
 * The median over rounds of `measured`'s throughput as a share of `ceiling`'s in the same round: each round's
 * pair runs back to back, so the ratio cancels most of what other work on the machine does to both.
 */
export function medianRatio(measured: AlternatingResult, ceiling: AlternatingResult): number {
  const ratios = measured.rounds
    .map((run, index) => run.requestsPerSecond / (ceiling.rounds[index]?.requestsPerSecond ?? Number.NaN))
    .sort((a, b) => a - b);
  return ratios[Math.floor((ratios.length - 1) / 2)] ?? Number.NaN;
}

export function requireResult(results: Map<string, AlternatingResult>, label: string): AlternatingResult {
  const result = results.get(label);
  if (!result) throw new Error(`no result for ${label}`);
  return result;
}
