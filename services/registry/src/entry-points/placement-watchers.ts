import type { PlacementChanged, WatchPlacementsRequest } from '@overcast/agent-protocol';
import type { ServerWritableStream } from '@grpc/grpc-js';

type WatchStream = ServerWritableStream<WatchPlacementsRequest, PlacementChanged>;

/**
 * A datacenter's agent holds one stream; a few more let a restarted agent's new stream in before its old one's TCP
 * connection is seen dead. Past that the oldest is ended, so one certificate cannot pile up streams.
 */
const streamsPerDatacenter = 4;

/**
 * The WatchPlacements streams this replica holds, by datacenter: `signal` tells each of a datacenter's agents to
 * heartbeat now. A signal says only "now", so one still waiting in a stream's buffer (an agent reading slowly)
 * stands for any that follow it and they are dropped: an agent that never reads costs no memory.
 */
export function createPlacementWatchers() {
  const streams = new Map<string, Set<WatchStream>>();

  function nudge(stream: WatchStream): void {
    if (!stream.writableNeedDrain && !stream.writableEnded) stream.write({});
  }

  return {
    add(datacenterId: string, stream: WatchStream): void {
      const open = streams.get(datacenterId) ?? new Set<WatchStream>();
      streams.set(datacenterId, open);
      open.add(stream);
      const forget = () => {
        open.delete(stream);
        if (open.size === 0 && streams.get(datacenterId) === open) streams.delete(datacenterId);
      };
      stream.on('cancelled', forget);
      stream.on('close', forget);
      stream.on('error', forget);
      for (const oldest of open) {
        if (open.size <= streamsPerDatacenter) break;
        open.delete(oldest);
        oldest.end();
      }
      // Whatever changed while it had no stream (a reconnect) is learned at once too.
      nudge(stream);
    },
    signal(datacenterId: string): void {
      for (const stream of streams.get(datacenterId) ?? []) nudge(stream);
    },
    /** Ends every stream (the server is stopping): agents fall back to their heartbeat timer and reconnect. */
    endAll(): void {
      for (const open of streams.values()) for (const stream of open) stream.end();
      streams.clear();
    },
  };
}

export type PlacementWatchers = ReturnType<typeof createPlacementWatchers>;
