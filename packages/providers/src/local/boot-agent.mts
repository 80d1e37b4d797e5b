/**
 * The local provider's "cloud-init": the first process of a local instance. Started by the provider with
 * Node's type stripping (no imports beyond node:, erasable syntax only). It reads the instance's user
 * data, fetches `#include` URLs with the Basic credentials their userinfo carries, runs the scripts with
 * their output on this process's stdout (the instance's console log), reports `running`, and then stays
 * up like a VM until SIGTERM. A boot that cannot fetch its user data fails visibly and powers off.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface ScriptPart {
  source: string;
  body: string;
}

const env = process.env;
const instanceDir = process.argv[2] ?? env.OVERCAST_INSTANCE_DIR ?? '';
const fetchTimeoutMs = Number(env.OVERCAST_FETCH_TIMEOUT_MS ?? 10_000);
const defaultShell = env.OVERCAST_IMAGE_SHELL || '/bin/sh';
const maxIncludeDepth = 3;
let runningScript: ChildProcess | undefined;
let shuttingDown = false;

function log(message: string): void {
  process.stdout.write(`[overcast-boot] ${new Date().toISOString()} ${message}\n`);
}

function reportStatus(phase: 'running' | 'failed', error?: string): void {
  const file = join(instanceDir, 'boot-status.json');
  writeFileSync(`${file}.tmp`, JSON.stringify({ phase, at: new Date().toISOString(), ...(error ? { error } : {}) }));
  renameSync(`${file}.tmp`, file);
}

/** The URL without credentials, for logs: init-script passwords must never reach the console. */
function redact(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Node's fetch refuses userinfo in URLs, so the credentials travel as an Authorization header. */
async function fetchInclude(raw: string): Promise<string> {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`#include ${redact(url)}: only http(s) URLs`);
  const headers: Record<string, string> = {};
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  log(`fetching #include ${redact(url)}`);
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(fetchTimeoutMs) });
  if (!response.ok) throw new Error(`#include ${redact(url)} answered HTTP ${response.status}`);
  return response.text();
}

/** Expand user data into script parts, like cloud-init's `#include` and `#!` handlers. */
async function expand(userData: string, source: string, depth: number): Promise<ScriptPart[]> {
  const text = userData.replace(/^\uFEFF/, '');
  if (text.trim() === '') return [];
  if (text.startsWith('#!')) return [{ source, body: text }];
  if (text.startsWith('#cloud-config')) {
    log(`${source}: #cloud-config is not supported by the local provider; ignored`);
    return [];
  }
  if (!/^#include(-once)?\b/.test(text))
    throw new Error(`${source}: unsupported user data (expected #!, #include or #cloud-config)`);
  if (depth >= maxIncludeDepth) throw new Error(`${source}: #include nested deeper than ${maxIncludeDepth}`);
  const urls = text
    .replace(/^#include(-once)?/, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const parts: ScriptPart[] = [];
  for (const url of urls) parts.push(...(await expand(await fetchInclude(url), redact(new URL(url)), depth + 1)));
  return parts;
}

/** Run one part to completion; its output goes straight to the console. A failing script does not stop the VM. */
function runScript(part: ScriptPart, index: number): Promise<void> {
  const scriptsDir = join(instanceDir, 'scripts');
  mkdirSync(scriptsDir, { recursive: true, mode: 0o700 });
  const file = join(scriptsDir, `part-${String(index).padStart(3, '0')}`);
  writeFileSync(file, part.body, { mode: 0o700 });
  chmodSync(file, 0o700);
  // A shebang picks the interpreter (the kernel reads it); anything else runs under the image's shell.
  const [command, args] = part.body.startsWith('#!') ? [file, []] : [defaultShell, [file]];
  log(`running ${part.source} as ${file}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: env.HOME });
    runningScript = child;
    child.on('error', (error) => {
      log(`${part.source}: could not start: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      runningScript = undefined;
      log(`${part.source} finished with ${signal ? `signal ${signal}` : `exit code ${code}`}`);
      resolve();
    });
  });
}

function powerOff(code: number): never {
  log(`powering off (exit ${code})`);
  process.exit(code);
}

process.on('SIGTERM', () => {
  shuttingDown = true;
  log('SIGTERM received: shutting down');
  // The provider signals the whole process group, so a running script got SIGTERM too; wait for it.
  if (!runningScript) powerOff(0);
  runningScript.once('close', () => powerOff(0));
});

async function boot(): Promise<void> {
  log(`instance ${env.OVERCAST_INSTANCE_ID} (${env.OVERCAST_INSTANCE_IP}) booting image ${env.OVERCAST_IMAGE}`);
  let parts: ScriptPart[];
  try {
    parts = await expand(readFileSync(join(instanceDir, 'user-data'), 'utf8'), 'user-data', 0);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`boot failed: ${message}`);
    reportStatus('failed', message);
    powerOff(1);
  }
  reportStatus('running');
  log(`running; ${parts.length} user script(s)`);
  for (const [index, part] of parts.entries()) {
    if (shuttingDown) return;
    await runScript(part, index + 1);
  }
  log('boot finished');
}

// Stay up like a VM: only SIGTERM/SIGKILL end an instance.
setInterval(() => undefined, 2 ** 30);
boot().catch((error: unknown) => {
  log(`boot agent crashed: ${error instanceof Error ? error.stack : String(error)}`);
  powerOff(1);
});
