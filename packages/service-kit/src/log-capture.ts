import type { DestinationStream } from 'pino';

export interface LogCapture {
  /** Pass as `createLogger({ destination })`. */
  destination: DestinationStream;
  /** Every line written so far, parsed. */
  lines: Record<string, unknown>[];
}

/** Reads a logger's JSON lines back, so tests can assert what was logged (and with which correlation id). */
export function createLogCapture(): LogCapture {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    destination: {
      write(chunk: string) {
        for (const line of chunk.split('\n')) {
          if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        }
      },
    },
  };
}
