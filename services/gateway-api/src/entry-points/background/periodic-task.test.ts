import { createLogger } from '@overcast/service-kit';
import { waitFor } from '@overcast/test-kit';
import { createPeriodicTask } from './periodic-task';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('createPeriodicTask', () => {
  it('keeps running after a failing run and never overlaps itself', async () => {
    let running = 0;
    let overlapped = false;
    let runs = 0;
    const task = createPeriodicTask(
      'test task',
      1,
      async () => {
        running += 1;
        overlapped ||= running > 1;
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        if (runs === 1) throw new Error('first run fails');
      },
      logger,
    );
    task.start();
    await waitFor('several runs', () => runs >= 4);
    await task.stop();
    expect(overlapped).toBe(false);
  });

  it('runs once more on stop when asked to flush', async () => {
    const work = jest.fn(() => Promise.resolve());
    const task = createPeriodicTask('flush', 60_000, work, logger);
    task.start();
    await task.stop({ finalRun: true });
    expect(work).toHaveBeenCalledTimes(1);
  });
});
