import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { DeploymentEvent } from '../types.ts';

/** The events of one `text/event-stream` body, in order; ends with the stream (or quietly when `signal` aborts). */
export async function* readDeploymentEvents(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<DeploymentEvent, void, undefined> {
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => parsed.push(message) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal?.aborted) return;
        // A dropped connection ends this stream; the caller resumes after the last event it got.
        if (error instanceof TypeError) return;
        throw error;
      }
      if (chunk.done) return;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      while (parsed.length > 0) {
        const message = parsed.shift();
        if (message) yield JSON.parse(message.data) as DeploymentEvent;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
