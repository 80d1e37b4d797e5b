import type { ChannelModel } from 'amqplib';
import type { Writable } from 'node:stream';

interface Mux {
  out: Writable;
  _readIncoming(): void;
}

function muxOf(model: ChannelModel): Mux | undefined {
  const muxer = (model as unknown as { connection?: { muxer?: Partial<Mux> } }).connection?.muxer;
  if (typeof muxer?._readIncoming !== 'function' || typeof muxer.out?.cork !== 'function') return undefined;
  return muxer as Mux;
}

/**
 * amqplib queues every frame its channels send and, once per event-loop turn, its Mux writes them to the socket
 * one `write` each: a system call apiece and, with TCP_NODELAY, a packet apiece. Corking the socket for that one
 * pass sends all of a turn's frames (RPC requests and replies, publishes, acks) in one `writev`, which was the
 * biggest single cost of an RPC on both ends. Returns false, changing nothing, if amqplib's internals moved.
 */
export function coalesceSocketWrites(model: ChannelModel): boolean {
  const mux = muxOf(model);
  if (!mux) return false;
  const readIncoming = mux._readIncoming.bind(mux);
  const socket = mux.out;
  mux._readIncoming = () => {
    socket.cork();
    try {
      readIncoming();
    } finally {
      socket.uncork();
    }
  };
  return true;
}
