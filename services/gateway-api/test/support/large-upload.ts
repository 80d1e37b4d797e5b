import { request } from 'node:http';
import { Readable } from 'node:stream';

export interface LargeUploadOutcome {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Bytes the body stream handed to the connection before the request closed. */
  sentBytes: number;
  /** The request's error after the answer (the server closing a connection still being written to), if any. */
  errorAfterAnswer: string | null;
}

/** A body of `bytes` zeros made as it is read, a MiB at a time: a large upload that costs the test no memory. */
export function zeros(bytes: number): { stream: Readable; sent: () => number } {
  let sent = 0;
  const chunk = Buffer.alloc(1024 * 1024);
  const stream = new Readable({
    read() {
      if (sent >= bytes) {
        this.push(null);
        return;
      }
      const next = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
      sent += next.length;
      this.push(next);
    },
  });
  return { stream, sent: () => sent };
}

/**
 * POSTs `bytes` (declared by Content-Length, or chunked) as a client does that reads the answer while it writes:
 * resolves once the request is over, with the answer read and how much of the body went out meanwhile.
 */
export function postLargeUpload(
  url: string,
  headers: Record<string, string>,
  options: { bytes: number; declareLength: boolean },
): Promise<LargeUploadOutcome> {
  return new Promise((resolve, reject) => {
    const body = zeros(options.bytes);
    let answer: Omit<LargeUploadOutcome, 'sentBytes' | 'errorAfterAnswer'> | null = null;
    let errorAfterAnswer: string | null = null;
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/octet-stream',
          ...(options.declareLength ? { 'content-length': String(options.bytes) } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (part: string) => (text += part));
        response.on('end', () => {
          answer = { status: response.statusCode ?? 0, headers: response.headers, body: text };
        });
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (!answer) reject(error);
      else errorAfterAnswer = error.code ?? error.message;
    });
    outgoing.on('close', () => {
      // The answer's end may be processed just after the connection's close.
      setImmediate(() => {
        if (answer) resolve({ ...answer, sentBytes: body.sent(), errorAfterAnswer });
        else reject(new Error(`the connection closed with no answer after ${body.sent()} bytes`));
      });
    });
    body.stream.pipe(outgoing);
  });
}
