import { waitFor } from '@overcast/test-kit';
import { createExclusiveJob, ensurePlatformTables, type Database, type ExclusiveJob, type JobContext } from '../../src';
import { uniqueSchema, type DatabaseTarget } from '../support/targets';

/** Counts runs per replica and the most runs ever in progress at once, across every replica. */
function runTracker() {
  const state = { inProgress: 0, mostAtOnce: 0, runs: new Map<string, number>(), aborted: 0 };
  return {
    state,
    runs: (replica: string) => state.runs.get(replica) ?? 0,
    run: (replica: string) => async ({ signal }: JobContext) => {
      state.inProgress += 1;
      state.mostAtOnce = Math.max(state.mostAtOnce, state.inProgress);
      state.runs.set(replica, (state.runs.get(replica) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (signal.aborted) state.aborted += 1;
      state.inProgress -= 1;
    },
  };
}

/** Exclusive-job behaviour every target must show (real Postgres and embedded PGlite alike). */
export function jobBehaviour(target: () => DatabaseTarget): void {
  const started: ExclusiveJob[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((job) => job.stop()));
  });

  async function replicas(count: number): Promise<Database[]> {
    const schema = uniqueSchema('jobs');
    const databases = await Promise.all(Array.from({ length: count }, () => target().connect(schema)));
    await ensurePlatformTables(databases[0]!);
    return databases;
  }

  function job(database: Database, run: (context: JobContext) => Promise<void>, name = 'reconcile'): ExclusiveJob {
    const created = createExclusiveJob({ database, name, intervalMs: 10, leaseMs: 1500, run });
    started.push(created);
    return created;
  }

  it('runs on one replica at a time; the standby takes over when the holder stops', async () => {
    const [first, second] = await replicas(2);
    const tracker = runTracker();
    const jobs = { a: job(first!, tracker.run('a')), b: job(second!, tracker.run('b')) };
    await Promise.all([jobs.a.start(), jobs.b.start()]);

    await waitFor('ten runs', () => tracker.runs('a') + tracker.runs('b') >= 10);
    const [holder, standby] = jobs.a.isLeader() ? (['a', 'b'] as const) : (['b', 'a'] as const);
    expect(jobs[standby].isLeader()).toBe(false);
    expect(tracker.runs(standby)).toBe(0);

    await jobs[holder].stop();
    await waitFor('the standby to run', () => tracker.runs(standby) >= 3);
    expect(jobs[standby].isLeader()).toBe(true);
    expect(tracker.state.mostAtOnce).toBe(1);
  });

  it('fails over when the holder dies without handing over, and never runs twice at once', async () => {
    const [doomed, survivor] = await replicas(2);
    const tracker = runTracker();
    const first = job(doomed!, tracker.run('doomed'));
    await first.start();
    await waitFor('the first replica to run', () => tracker.runs('doomed') >= 2);
    const second = job(survivor!, tracker.run('survivor'));
    await second.start();

    await doomed!.close(); // it can no longer renew or release: as good as a crashed process
    await waitFor('the survivor to take over after the lease expired', () => tracker.runs('survivor') >= 3, { timeoutMs: 15_000 });

    expect(first.isLeader()).toBe(false);
    expect(tracker.state.mostAtOnce).toBe(1);
  });

  it('keeps its schedule when a run fails', async () => {
    const [database] = await replicas(1);
    let attempts = 0;
    const flaky = job(database!, async () => {
      attempts += 1;
      throw new Error('provider said no');
    });
    await flaky.start();

    await waitFor('three attempts despite the failures', () => attempts >= 3);
  });

  it('tells a run in progress to stop when the replica stops', async () => {
    const [database] = await replicas(1);
    let sawAbort = false;
    let running = false;
    const long = job(database!, async ({ signal }) => {
      running = true;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      sawAbort = signal.aborted;
    });
    await long.start();
    await waitFor('the run to begin', () => running);

    await long.stop();

    expect(sawAbort).toBe(true);
  });

  it('lets jobs with different names run side by side', async () => {
    const [database] = await replicas(1);
    let reaped = 0;
    let refreshed = 0;
    await job(database!, async () => void (reaped += 1), 'reap').start();
    await job(database!, async () => void (refreshed += 1), 'refresh').start();

    await waitFor('both jobs to run', () => reaped > 0 && refreshed > 0);
  });
}
