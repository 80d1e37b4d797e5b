import { spawn } from 'node:child_process';
import path from 'node:path';

/** Every benchmark, one after another (never at once: each needs the whole machine to itself). */
const benchmarks = [
  { name: 'messaging', script: 'messaging/run.ts' },
  { name: 'gateway', script: 'gateway/run.ts' },
  { name: 'instances', script: 'instances/run.ts' },
  { name: 'registry', script: 'registry/validate.ts' },
  { name: 'apps', script: 'apps/deploys.ts' },
  { name: 'apps local balancer', script: 'apps/local-balancer.ts' },
];

function run(script: string): Promise<number> {
  // This process's execArgv carries tsx's loader, so the child runs TypeScript as well.
  const child = spawn(process.execPath, [...process.execArgv, path.join(__dirname, '..', script)], {
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<void> {
  const outcomes: string[] = [];
  for (const benchmark of benchmarks) {
    console.log(`\n=== ${benchmark.name} ===`);
    const code = await run(benchmark.script);
    outcomes.push(
      `${benchmark.name}: ${code === 0 ? 'all targets met' : `exit ${code} (a target missed or the run failed)`}`,
    );
    if (code !== 0) process.exitCode = 1;
  }
  console.log(`\n${outcomes.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
