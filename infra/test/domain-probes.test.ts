import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeDomains } from '../compose/domain-probes';

// A stand-in gateway: its spec serves GET /datacenters (answered 200 to the right token) and GET /api/v1/account/
// (answered 503, as when the image inspector is down); /districts is not in its spec yet.
let server: Server;
let url: string;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    asked.push(`${request.url} ${request.headers.authorization}`);
    if (request.url === '/openapi.json') {
      response.end(JSON.stringify({ paths: { '/datacenters': { get: {} }, '/api/v1/account/': { get: {} } } }));
      return;
    }
    const authorized = request.headers.authorization === 'token t-1';
    response.statusCode = !authorized ? 401 : request.url === '/datacenters' ? 200 : 503;
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('compose round trip: one read per domain', () => {
  it("reads each listed service's path the spec serves, with the token, and skips the ones it does not", async () => {
    const probes = await probeDomains(url, 't-1', ['gateway-api', 'app-manager', 'image-inspector', 'registry']);
    expect(probes).toEqual([
      { service: 'app-manager', path: '/districts' },
      { service: 'image-inspector', path: '/api/v1/account/', status: 503 },
      { service: 'registry', path: '/datacenters', status: 200 },
    ]);
    expect(asked).not.toContain('/districts token t-1');
    expect(asked).toContain('/datacenters token t-1');
  });

  it('asks nothing of a service the stack does not run', async () => {
    expect(await probeDomains(url, 't-1', ['gateway-api'])).toEqual([]);
  });
});
