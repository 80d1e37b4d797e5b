import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackWebhookNotifier, slackChannelName } from './slack-webhook-notifier';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('slack webhook notifier', () => {
  it('prefixes a channel with exactly one "#" (pudding doubled it)', () => {
    expect(slackChannelName('general')).toBe('#general');
    expect(slackChannelName('#general')).toBe('#general');
    expect(slackChannelName('##general')).toBe('#general');
  });

  it("posts pudding's payload shape and fails on a non-2xx answer so the bus retries", async () => {
    const received: unknown[] = [];
    let status = 200;
    const server = createServer((request, response) => {
      void readBody(request).then((body) => {
        received.push(JSON.parse(body));
        response.writeHead(status).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const notifier = createSlackWebhookNotifier({ url: `http://127.0.0.1:${port}/hooks/x` });
      await notifier.send({ channel: '#ops', text: 'Terminating *x* :boom:' });
      expect(received).toEqual([
        { text: 'Terminating *x* :boom:', channel: '#ops', username: 'overcast', icon_emoji: ':cloud:' },
      ]);
      status = 500;
      await expect(notifier.send({ channel: null, text: 'again' })).rejects.toThrow('answered 500');
      expect(received[1]).toEqual({ text: 'again', username: 'overcast', icon_emoji: ':cloud:' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
