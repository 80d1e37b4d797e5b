import type { DistrictPlatform, TaskState } from '@overcast/providers';
import { sleep } from './context';

/** Looks at a task until it stops or `deadline` (ms since epoch) passes; the last look either way. */
export async function waitForTask(
  platform: DistrictPlatform,
  taskId: string,
  deadline: number,
  firstPauseMs: number,
): Promise<TaskState | null> {
  let pause = firstPauseMs;
  for (;;) {
    const task = await platform.describeTask(taskId);
    if (!task || task.status === 'STOPPED' || Date.now() >= deadline) return task;
    await sleep(pause);
    pause = Math.min(pause * 2, 1_000);
  }
}
