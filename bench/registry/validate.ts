import { createDeploymentConfigParser } from '@overcast/deployment-config';
import { parse as parsePlainYaml } from 'yaml';
import { median } from '../messaging/measure';
import { formatTargetCheck, targetCheck } from '../lib/targets';
import { generateLargeDeployment } from './large-deployment';

// Knobs for one run: the file's size and the number of measured rounds (after one warm-up round).
const targetBytes = Number(process.env.BENCH_VALIDATE_BYTES ?? 1024 * 1024);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const targetMs = 200;

function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  return run().then((value) => ({ ms: performance.now() - started, value }));
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
      ratios.push(validated.ms / ceiling.ms);
      console.log(
        `  round ${round}: yaml.parse ${ceiling.ms.toFixed(1)} ms, validation ${validated.ms.toFixed(1)} ms (×${(validated.ms / ceiling.ms).toFixed(2)})`,
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

    const validationMs = median(validation);
    console.log('');
    console.log(`plain yaml.parse (ceiling)           ${median(plain).toFixed(1).padStart(7)} ms  (median)`);
    console.log(`validation (parseDeploymentConfig)   ${validationMs.toFixed(1).padStart(7)} ms  (median)`);
    console.log(
      `validation / yaml.parse              ${median(ratios).toFixed(2).padStart(7)} ×   (median of the rounds' ratios)`,
    );
    console.log(`worker start (first parse of a parser)  ${first.ms.toFixed(1).padStart(4)} ms`);
    console.log(`refusal of 100,000-deep nesting         ${refusal.ms.toFixed(1).padStart(4)} ms`);
    console.log(`refusal of a billion laughs             ${laughsRefusal.ms.toFixed(1).padStart(4)} ms`);
    const check = targetCheck(
      `validation of a ${Math.round(bytes / 1024)} KB file, ms`,
      validationMs,
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
