import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:https';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HttpsFetchLimits } from '../src';
import { createDeploymentConfigParser, createIncludeLoader } from '../src';

/**
 * Remote includes against a real HTTPS server on loopback: refused as a non-public address unless the operator
 * allows loopback, and then fetched under the size, time and count limits.
 */
const placement = `services:
  web:
    image: local/web:2
deployment:
  datacenters:
    dc:
      region: us-west
      profiles:
        p:
          qos:
  services:
    web:
      dc: { profile: p, nodes: 1 }
`;

const routes: Record<string, string> = {
  '/services.yml': 'version: "0.1"\ninclude:\n  - more/queue.yml\nservices:\n  web:\n    image: remote/web:1\n',
  '/more/queue.yml': 'version: "0.1"\nservices:\n  queue:\n    image: remote/queue:1\n',
  '/reads-local-disk.yml': 'version: "0.1"\ninclude:\n  - /etc/hostname\n',
  '/big.yml': `version: "0.1"\n# ${'x'.repeat(20_000)}\n`,
};

let server: Server;
let base: string;
let certificate: string;
const requested: string[] = [];
const directory = mkdtempSync(path.join(tmpdir(), 'overcast-tls-'));
const parser = createDeploymentConfigParser();

beforeAll(async () => {
  // A throwaway self-signed certificate for localhost, trusted by the loader through `ca`.
  const keyFile = path.join(directory, 'key.pem');
  const certFile = path.join(directory, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  certificate = readFileSync(certFile, 'utf8');
  server = createServer({ key: readFileSync(keyFile), cert: certificate }, (request, response) => {
    const url = request.url ?? '/';
    requested.push(url);
    if (url === '/slow.yml') {
      response.writeHead(200);
      response.write('version: "0.1"\n'); // and never the rest
      return;
    }
    if (url === '/moved.yml') {
      response.writeHead(302, { location: 'https://169.254.169.254/latest/meta-data/' }).end();
      return;
    }
    const body = routes[url];
    if (body === undefined) response.writeHead(404).end();
    else response.writeHead(200, { 'content-type': 'application/yaml' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://localhost:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await parser.close();
  rmSync(directory, { recursive: true, force: true });
});

function limits(overrides: Partial<HttpsFetchLimits> = {}): HttpsFetchLimits {
  return { maxBytes: 10_000, timeoutMs: 1000, ca: certificate, allowedNetworks: ['127.0.0.0/8'], ...overrides };
}

async function parseWith(includes: string[], https: HttpsFetchLimits) {
  const text = `version: "0.1"\ninclude:\n${includes.map((url) => `  - ${url}\n`).join('')}${placement}`;
  return parser.parse(text, { source: '/srv/overcast.yml', loadInclude: createIncludeLoader({ https }) });
}

test('a loopback include is refused after DNS resolution when the operator has not allowed it, and nothing is fetched', async () => {
  requested.length = 0;
  const result = await parseWith(
    [`${base}/services.yml`, `https://127.0.0.1:${new URL(base).port}/services.yml`],
    limits({ allowedNetworks: [] }),
  );
  expect(result).toMatchObject({
    ok: false,
    errors: [
      {
        path: 'include[0]',
        line: 3,
        message: expect.stringMatching(/localhost resolves to no public address \(127\.0\.0\.1/),
      },
      { path: 'include[1]', line: 4, message: expect.stringMatching(/127\.0\.0\.1 is not a public address/) },
    ],
  });
  expect(requested).toEqual([]);
});

test('with loopback allowed, a remote include and its own relative include are fetched and merged', async () => {
  const result = await parseWith([`${base}/services.yml`], limits());
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(Object.keys(result.config.services).sort()).toEqual(['queue', 'web']);
  expect(result.config.services.queue?.image).toBe('remote/queue:1');
  // The including file wins where both set a value.
  expect(result.config.services.web?.image).toBe('local/web:2');
});

test("a remote file's rooted include resolves against its URL, never the including machine's disk", async () => {
  const result = await parseWith([`${base}/reads-local-disk.yml`], limits());
  expect(result).toMatchObject({
    ok: false,
    errors: [
      { source: `${base}/reads-local-disk.yml`, path: 'include[0]', message: expect.stringMatching(/answered 404/) },
    ],
  });
});

test('the size, time and redirect limits each refuse the include, naming it', async () => {
  const result = await parseWith(
    [`${base}/big.yml`, `${base}/slow.yml`, `${base}/moved.yml`],
    limits({ maxBytes: 5_000, timeoutMs: 300 }),
  );
  expect(result).toMatchObject({
    ok: false,
    errors: [
      { path: 'include[0]', message: expect.stringMatching(/larger than 5000 bytes/) },
      { path: 'include[1]', message: expect.stringMatching(/within 300 ms/) },
      { path: 'include[2]', message: expect.stringMatching(/redirects are not followed/) },
    ],
  });
});

test('includes past the count limit are refused', async () => {
  const counted = createDeploymentConfigParser({ maxIncludes: 1 });
  const text = `version: "0.1"\ninclude:\n  - ${base}/services.yml\n${placement}`;
  const result = await counted.parse(text, {
    source: 'overcast.yml',
    loadInclude: createIncludeLoader({ https: limits() }),
  });
  await counted.close();
  // services.yml itself is the one include allowed; its own include is the second.
  expect(result).toMatchObject({
    ok: false,
    errors: [
      { source: `${base}/services.yml`, path: 'include[0]', message: expect.stringMatching(/more than 1 includes/) },
    ],
  });
});

test('a server that takes YAML from users reads no files: file includes are refused unless enabled', async () => {
  const result = await parser.parse(`version: "0.1"\ninclude:\n  - /etc/hostname\n${placement}`, {
    source: 'request body',
    loadInclude: createIncludeLoader({ https: limits() }),
  });
  expect(result).toMatchObject({
    ok: false,
    errors: [
      { path: 'include[0]', message: expect.stringMatching(/a file sent to the registry cannot include files/) },
    ],
  });
});
