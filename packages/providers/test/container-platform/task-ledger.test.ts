import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@overcast/test-kit';
import { createTaskLedger } from '../../src/container-platform/local/task-ledger';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('local task ledger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'overcast-ledger-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stops the tasks a crashed run left, and never a process that is not that task', async () => {
    const file = join(dir, 'container-tasks.json');
    // A task a previous run started in its own process group, as the platform does.
    const leftover = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      detached: true,
      stdio: 'ignore',
      env: { OVERCAST_TASK_ID: 'hello-web-1' },
    });
    const exited = new Promise((resolve) => leftover.once('exit', resolve));
    const crashed = createTaskLedger(file, () => undefined);
    crashed.reapLeftovers();
    crashed.record('hello-web-1', leftover.pid ?? 0);
    // A recycled pid: this test's own process, which carries no such task id.
    crashed.record('hello-web-2', process.pid);

    const restarted = createTaskLedger(file, () => undefined);

    expect(restarted.reapLeftovers()).toBe(1);
    await exited;
    await waitFor('the leftover gone', () => !alive(leftover.pid ?? 0));
    expect(alive(process.pid)).toBe(true);
  });
});
