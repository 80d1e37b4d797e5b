import { waitFor } from '@overcast/test-kit';
import { createExclusiveJob, ensurePlatformTables, type Database, type ExclusiveJob, type JobContext } from '../../src';
import { uniqueSchema, type DatabaseTarget } from '../support/targets';

const briefly = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

/** Counts runs per replica and the most runs ever in progress at once, across every replica. */
function runTracker() {
  const state = { inProgress: 0, mostAtOnce: 0, runs: new Map<string, number>(), aborted: 0 };
  return {
    state,
    runs: (replica: string) => state.runs.get(replica) ?? 0,
    /** A run of `replica` doing `body` (by default, 20 ms of work). */
    run:
      (replica: string, body: (context: JobContext) => Promise<void> = briefly) =>
      async (context: JobContext) => {
        state.inProgress += 1;
        state.mostAtOnce = Math.max(state.mostAtOnce, state.inProgress);
        state.runs.set(replica, (state.runs.get(replica) ?? 0) + 1);
        await body(context);
        if (context.signal.aborted) state.aborted += 1;
        state.inProgress -= 1;
      },
  };
}

/**
 * `database` whose lease statements reach the database at once but whose replies are held back while `held`:
 * the database extended the lease, and the replica does not know it yet (a slow network or an overloaded pool).
 */
function withHeldLeaseReplies(database: Database) {
  let release: (() => void) | null = null;
  let heldBack = Promise.resolve();
  let replies = 0;
  const pool = new Proxy(database.pool, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return (text: unknown, ...rest: unknown[]) => {
        const reply = (target.query as (...args: unknown[]) => Promise<unknown>)(text, ...rest);
        if (typeof text !== 'string' || !text.includes('_overcast_job_leases')) return reply;
        return heldBack.then(() => reply).finally(() => (replies += 1));
      };
    },
  });
  return {
    database: { ...database, pool },
    hold() {
      heldBack = new Promise((resolve) => (release = resolve));
    },
    release() {
      release?.();
      heldBack = Promise.resolve();
    },
    /** Lease statements answered so far. */
    replies: () => replies,
  };
}

/** Exclusive-job behaviour every target must show (the machine's Postgres and the embedded one alike). */
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
    await waitFor('the survivor to take over after the lease expired', () => tracker.runs('survivor') >= 3, {
      timeoutMs: 15_000,
    });

    expect(first.isLeader()).toBe(false);
    expect(tracker.state.mostAtOnce).toBe(1);
  });

  it('stands down before its lease may lapse while a renewal has not come back, so a standby never runs beside it', async () => {
    const [slow, standbyDatabase] = await replicas(2);
    const held = withHeldLeaseReplies(slow!);
    const tracker = runTracker();
    let holderAborted = false;
    // The holder's first run lasts until the holder has to give it up.
    const untilAborted = async ({ signal }: JobContext) => {
      if (tracker.runs('holder') > 1) return;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      holderAborted = true;
    };
    const holder = job(held.database, tracker.run('holder', untilAborted));
    await holder.start();
    await waitFor('the holder to run', () => tracker.runs('holder') === 1);
    held.hold();
    try {
      const standby = job(standbyDatabase!, tracker.run('standby'));
      await standby.start();
      await waitFor('the standby to take over once the lease lapsed', () => tracker.runs('standby') >= 3, {
        timeoutMs: 15_000,
      });
      expect(holderAborted).toBe(true);
      expect(holder.isLeader()).toBe(false);
    } finally {
      held.release();
    }
    // The late reply says the database extended the lease back then; the holder must not take that for now.
    const repliesAtRelease = held.replies();
    await waitFor('the late reply and a fresh renewal', () => held.replies() >= repliesAtRelease + 2);
    expect(holder.isLeader()).toBe(false);
    expect(tracker.runs('holder')).toBe(1);
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
