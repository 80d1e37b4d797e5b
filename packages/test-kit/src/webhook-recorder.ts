import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookRecorder {
  url: string;
  received: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A loopback Slack-compatible incoming webhook that records what it was sent (pudding's and Barcelona's notices). */
export async function startWebhookRecorder(): Promise<WebhookRecorder> {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/x`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
