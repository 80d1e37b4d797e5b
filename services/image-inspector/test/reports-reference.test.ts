import {
  challengeMachineImageRpc,
  createCloudAccountRpc,
  dailyUsageReportRpc,
  ingestActivityLogRpc,
  listMachineImagesRpc,
} from '@overcast/contracts';
import { createImageInspectorEnvironment } from './support/image-inspector-environment';
import { cloudTrailFile, openshiftTag, powerOff, powerOn, runInstances } from './support/cloudtrail';

type Environment = Awaited<ReturnType<typeof createImageInspectorEnvironment>>;
let env: Environment;
const tenantId = 'tenant-reference';
const hour = 3600 * 1000;
const day = 24 * hour;

beforeAll(async () => {
  env = await createImageInspectorEnvironment();
});
afterAll(async () => {
  await env?.close();
});

/** A small seeded generator (mulberry32), so a failure names a seed that reproduces it. */
function generator(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return Math.floor((((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296) * below);
  };
}

interface Walked {
  at: number;
  on: boolean;
}

/**
 * FACTS 4.5 as cloudigrade's reports.py walks it, one period at a time: the latest event before the period's start
 * (kept only if a power_on) and the events inside it, in file order at equal times; a power_on while off starts the
 * timer, a power_off while on stops it, the rest is ignored; still on at the end counts to the end.
 */
function runtimeIn(events: Walked[], start: number, end: number): number {
  const before = events.filter((event) => event.at < start).at(-1);
  let onSince = before?.on ? start : null;
  let seconds = 0;
  for (const event of events.filter((candidate) => candidate.at >= start && candidate.at < end)) {
    if (event.on && onSince === null) onSince = event.at;
    if (!event.on && onSince !== null) {
      seconds += (event.at - onSince) / 1000;
      onSince = null;
    }
  }
  return onSince === null ? seconds : seconds + (end - onSince) / 1000;
}

describe('the daily report against a reference walk of FACTS 4.5', () => {
  it.each([1, 2, 3])('agrees on random on/off histories (seed %i)', async (seed) => {
    const random = generator(seed);
    const windowStart = Date.parse('2018-03-01T07:30:00Z');
    const windowEnd = windowStart + 3 * day + 5 * hour;
    const records: unknown[] = [];
    const kinds = ['rhel', 'ocp', 'both', 'none'] as const;
    const instances = Array.from({ length: 8 }, (_, index) => ({
      id: `i-ref-${seed}-${index}`,
      kind: kinds[index % kinds.length] ?? 'none',
      events: [] as Walked[],
    }));
    for (const instance of instances) {
      const image = `ami-${instance.kind === 'rhel' || instance.kind === 'both' ? 'rhel' : 'plain'}-${seed}-${instance.id}`;
      if (instance.kind === 'ocp' || instance.kind === 'both')
        records.push(openshiftTag('2018-01-01T00:00:00Z', image, true));
      // Times on the hour from two days before the window to a day after it, so ties and midnights happen.
      const times = Array.from({ length: 3 + random(10) }, () => windowStart - 2 * day + random(7 * 24) * hour).sort(
        (a, b) => a - b,
      );
      times.forEach((at, index) => {
        const iso = new Date(at).toISOString();
        const on = index === 0 || random(3) > 0 ? random(2) === 0 : false;
        const record =
          index === 0
            ? runInstances(iso, instance.id, image)
            : on
              ? powerOn(iso, instance.id)
              : powerOff(iso, instance.id);
        records.push(record);
        instance.events.push({ at, on: index === 0 ? true : on });
      });
    }
    const account = await env.client.call(createCloudAccountRpc, {
      tenantId,
      type: 'local',
      name: `reference ${seed}`,
    });
    await env.client.call(ingestActivityLogRpc, {
      tenantId,
      accountId: account.id,
      contentBase64: cloudTrailFile(records).toString('base64'),
    });
    const { results } = await env.client.call(listMachineImagesRpc, { tenantId, limit: 1000, offset: 0 });
    for (const image of results.filter((candidate) => candidate.cloudImageId.startsWith(`ami-rhel-${seed}-`))) {
      await env.client.call(challengeMachineImageRpc, { tenantId, id: image.id, rhelChallenged: true });
    }

    const report = await env.client.call(dailyUsageReportRpc, {
      tenantId,
      accountId: account.id,
      start: new Date(windowStart).toISOString(),
      end: new Date(windowEnd).toISOString(),
    });
    const expected = Array.from({ length: 4 }, (_, index) => {
      const start = windowStart + index * day;
      const end = Math.min(start + day, windowEnd);
      const ran = instances.map((instance) => ({ ...instance, seconds: runtimeIn(instance.events, start, end) }));
      const of = (kinds: string[]) => ran.filter((instance) => kinds.includes(instance.kind) && instance.seconds > 0);
      const sum = (list: { seconds: number }[]) => list.reduce((total, instance) => total + instance.seconds, 0);
      return {
        date: new Date(start).toISOString(),
        rhelInstances: of(['rhel', 'both']).length,
        openshiftInstances: of(['ocp', 'both']).length,
        rhelRuntimeSeconds: sum(of(['rhel', 'both'])),
        openshiftRuntimeSeconds: sum(of(['ocp', 'both'])),
      };
    });
    expect(expected.some((usage) => usage.rhelRuntimeSeconds > 0 && usage.openshiftRuntimeSeconds > 0)).toBe(true);
    expect(report.dailyUsage).toEqual(expected);
  });
});
