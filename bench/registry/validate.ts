import { createDeploymentConfigParser } from '@overcast/deployment-config';
import { parse as parsePlainYaml } from 'yaml';
import { median } from '../messaging/measure';
import { formatTargetCheck, targetCheck } from '../lib/targets';
import { generateLargeDeployment } from './large-deployment';

// Knobs for one run: the file's size and the number of measured rounds (after one warm-up round).
const targetBytes = Number(process.env.BENCH_VALIDATE_BYTES ?? 1024 * 1024);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const targetMs = 200;

/**
 * Wall time and the process's CPU time (every thread: the parsing worker's and the main thread's). A validation
 * runs on one thread at a time, so on an idle core its wall time is its CPU time; on this shared 2-core host the
 * wall time also counts the wait for a core, which other people's work sets.
 */
async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, value };
}

async function main(): Promise<void> {
  const { text, services } = generateLargeDeployment(targetBytes);
  const bytes = Buffer.byteLength(text);
  console.log(`deployment validation benchmark: a generated overcast.yml of ${bytes} bytes, ${services} services`);
  console.log('  ceiling: plain yaml.parse of the same text in this process (no limits, no worker, no validation);');
  console.log(`  ${rounds} rounds, each ceiling then validation, after a warm-up round\n`);

  // A fresh parser's first call starts its worker thread: measured once, apart from the rounds.
  const parser = createDeploymentConfigParser();
  const first = await timed(() => parser.parse('version: "0.1"\n', { source: 'cold.yml' }));
  const plain: number[] = [];
  const validation: number[] = [];
  const plainCpu: number[] = [];
  const validationCpu: number[] = [];
  const ratios: number[] = [];
  try {
    for (let round = 0; round <= rounds; round += 1) {
      const ceiling = await timed(async () => parsePlainYaml(text));
      const validated = await timed(() => parser.parse(text, { source: 'large.yml' }));
      if (!validated.value.ok)
        throw new Error(`the generated file is invalid: ${JSON.stringify(validated.value.errors.slice(0, 3))}`);
      if (round === 0) continue; // warm-up
      plain.push(ceiling.ms);
      validation.push(validated.ms);
      plainCpu.push(ceiling.cpuMs);
      validationCpu.push(validated.cpuMs);
      ratios.push(validated.ms / ceiling.ms);
      console.log(
        `  round ${round}: yaml.parse ${ceiling.ms.toFixed(0)} ms (CPU ${ceiling.cpuMs.toFixed(0)}), ` +
          `validation ${validated.ms.toFixed(0)} ms (CPU ${validated.cpuMs.toFixed(0)}), ×${(validated.ms / ceiling.ms).toFixed(2)}`,
      );
    }
    const hostile = `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const refusal = await timed(() => parser.parse(hostile, { source: 'hostile.yml' }));
    const laughs = [
      'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      ...'bcdefghi'
        .split('')
        .map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[index]}`).join(', ')}]`),
    ].join('\n');
    const laughsRefusal = await timed(() => parser.parse(laughs, { source: 'laughs.yml' }));

    const validationCpuMs = median(validationCpu);
    console.log('');
    console.log(
      `plain yaml.parse (ceiling)           ${median(plain).toFixed(1).padStart(7)} ms  CPU ${median(plainCpu).toFixed(1).padStart(7)} ms  (medians)`,
    );
    console.log(
      `validation (parseDeploymentConfig)   ${median(validation).toFixed(1).padStart(7)} ms  CPU ${validationCpuMs.toFixed(1).padStart(7)} ms  (medians)`,
    );
    console.log(
      `validation / yaml.parse              ${median(ratios).toFixed(2).padStart(7)} ×   (median of the rounds' ratios)`,
    );
    console.log(
      `worker start (first parse of a parser)  ${first.ms.toFixed(1).padStart(6)} ms  CPU ${first.cpuMs.toFixed(1)} ms`,
    );
    console.log(`refusal of 100,000-deep nesting         ${refusal.ms.toFixed(1).padStart(6)} ms`);
    console.log(`refusal of a billion laughs             ${laughsRefusal.ms.toFixed(1).padStart(6)} ms`);
    // Judged on CPU time: what one thread's work takes on an idle core, which the wall time here is not.
    const check = targetCheck(
      `validation of a ${Math.round(bytes / 1024)} KB file, CPU ms`,
      validationCpuMs,
      targetMs,
      'at-most',
    );
    console.log(`\n${formatTargetCheck(check)}`);
    if (!check.met) process.exitCode = 1;
  } finally {
    await parser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
