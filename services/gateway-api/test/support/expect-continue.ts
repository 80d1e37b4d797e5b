import { connect } from 'node:net';

export interface ContinueExchange {
  /** The interim answer's status line, when the server sent one before its final answer. */
  interim: string | null;
  status: number;
  headers: Record<string, string>;
  body: string;
}

function headersOf(lines: string[]): Record<string, string> {
  return Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
}

/**
 * A raw HTTP/1.1 POST as curl sends a large one: `Expect: 100-continue` and the headers first, the body only once
 * the server answers 100 Continue (never, if it answers first). Resolves with the final answer.
 */
export function postExpectingContinue(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<ContinueExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let interim: string | null = null;
    let settled = false;
    const finish = (outcome: ContinueExchange) => {
      settled = true;
      socket.destroy();
      resolve(outcome);
    };
    socket.on('error', (error) => {
      if (!settled) reject(error);
    });
    socket.on('close', () => {
      if (!settled) reject(new Error(`the connection closed before a whole answer: ${received.toString('latin1')}`));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine = '', ...headerLines] = received.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(statusLine.split(' ')[1]);
        if (status === 100) {
          interim = statusLine;
          received = received.subarray(end + 4);
          socket.write(body);
          continue;
        }
        const answerHeaders = headersOf(headerLines);
        const length = Number(answerHeaders['content-length']);
        const rest = received.subarray(end + 4);
        if (rest.length < length) return;
        finish({ interim, status, headers: answerHeaders, body: rest.subarray(0, length).toString('utf8') });
        return;
      }
    });
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'Content-Type: application/octet-stream',
      `Content-Length: ${body.length}`,
      'Expect: 100-continue',
      '',
      '',
    ].join('\r\n');
    socket.write(head);
  });
}
