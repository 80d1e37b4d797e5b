export interface ServerSentEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Parses an event stream's text (the fields Overcast sends: id, event, data; comments and retry skipped). */
export function parseServerSentEvents(text: string): ServerSentEvent[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line !== '' && !line.startsWith(':')))
    .filter((lines) => lines.some((line) => line.startsWith('data:')))
    .map((lines) => {
      const field = (name: string) =>
        lines
          .find((line) => line.startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trimStart();
      return { id: field('id'), event: field('event'), data: field('data') ?? '' };
    });
}

/** Reads an open stream until `done` holds for the events so far (or the stream ends), then stops reading. */
export async function readEventsUntil(
  response: Response,
  done: (events: ServerSentEvent[]) => boolean,
  timeoutMs = 15_000,
): Promise<ServerSentEvent[]> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('the response has no body');
  const decoder = new TextDecoder();
  let text = '';
  const deadline = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      text += decoder.decode(value, { stream: true });
      if (done(parseServerSentEvents(text))) break;
    }
  } finally {
    clearTimeout(deadline);
    await reader.cancel().catch(() => undefined);
  }
  return parseServerSentEvents(text);
}
