import { PassThrough } from 'node:stream';
import type { PlacementChanged, WatchPlacementsRequest } from '@overcast/agent-protocol';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { createPlacementWatchers } from './placement-watchers';

type WatchStream = ServerWritableStream<WatchPlacementsRequest, PlacementChanged>;

/** A writable object stream standing in for a gRPC server stream; `reads` drains it, counting the signals. */
function stream(highWaterMark = 16) {
  const passThrough = new PassThrough({ objectMode: true, highWaterMark });
  const reads = () => {
    let count = 0;
    while (passThrough.read() !== null) count += 1;
    return count;
  };
  return { stream: passThrough as unknown as WatchStream, reads, ended: () => passThrough.writableEnded };
}

describe('placement watchers', () => {
  it('signals a datacenter’s streams on opening and on each change, and no other datacenter’s', () => {
    const watchers = createPlacementWatchers();
    const mine = stream();
    const theirs = stream();
    watchers.add('mine', mine.stream);
    watchers.add('theirs', theirs.stream);
    watchers.signal('mine');
    expect(mine.reads()).toBe(2);
    expect(theirs.reads()).toBe(1);
  });

  it('keeps no more than one signal waiting for a reader that does not read', () => {
    const watchers = createPlacementWatchers();
    const slow = stream(1);
    watchers.add('slow', slow.stream);
    for (let change = 0; change < 1_000; change += 1) watchers.signal('slow');
    expect(slow.reads()).toBe(1);
  });

  it('ends the oldest stream past four per datacenter, and every stream when stopping', () => {
    const watchers = createPlacementWatchers();
    const streams = Array.from({ length: 5 }, () => stream());
    for (const { stream: open } of streams) watchers.add('busy', open);
    expect(streams.map(({ ended }) => ended())).toEqual([true, false, false, false, false]);
    watchers.endAll();
    expect(streams.every(({ ended }) => ended())).toBe(true);
  });
});
