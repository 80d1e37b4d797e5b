import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the gateway's `GET /init-scripts/{id}`: answers the script only to
 * `Authorization: Basic x:<secret>`, as pudding's per-build init-script auth did.
 */
export async function startInitScriptServer(scripts: Record<string, { secret: string; body: string }>) {
  const seenAuthorizations: string[] = [];
  const server = createServer((request, response) => {
    const id = /^\/init-scripts\/([^/]+)$/.exec(request.url ?? '')?.[1] ?? '';
    const script = scripts[id];
    const authorization = request.headers.authorization ?? '';
    seenAuthorizations.push(authorization);
    if (!script) {
      response.writeHead(404).end('not found\n');
    } else if (authorization !== `Basic ${Buffer.from(`x:${script.secret}`).toString('base64')}`) {
      response.writeHead(authorization ? 403 : 401, authorization ? {} : { 'www-authenticate': 'token' }).end('NO\n');
    } else {
      response.writeHead(200, { 'content-type': 'text/x-shellscript; charset=utf-8' }).end(script.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    seenAuthorizations,
    /** The `#include` URL pudding put in user data: credentials as userinfo. */
    includeUrl: (id: string, secret: string) =>
      `http://x:${encodeURIComponent(secret)}@127.0.0.1:${port}/init-scripts/${id}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
