import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getInitScriptRpc } from '@overcast/contracts';
import type { Bus } from '@overcast/messaging';

/**
 * The one gateway route a booting instance calls, `GET /init-scripts/{id}` with Basic `x:<secret>`,
 * answered through the broker's RPC like the real gateway does (404 for anything it refuses).
 */
export async function startInitScriptGateway(bus: Bus): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const match = /^\/init-scripts\/([^/?]+)$/.exec(request.url ?? '');
    const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
    const [, secret] = Buffer.from(basic?.[1] ?? '', 'base64')
      .toString('utf8')
      .split(':');
    if (!match?.[1] || !secret) {
      response.writeHead(401).end();
      return;
    }
    bus.call(getInitScriptRpc, { buildId: decodeURIComponent(match[1]), secret }).then(
      ({ script }) => response.writeHead(200, { 'content-type': 'text/x-shellscript; charset=utf-8' }).end(script),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
