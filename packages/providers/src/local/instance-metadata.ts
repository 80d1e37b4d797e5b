import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createProxyServer } from 'http-proxy-3';
import type { LocalInstanceRecord } from './instance-files';
import { writeFileAtomic } from './instance-files';

/** Where EC2 serves instance metadata, and so where scripts written for EC2 ask for it. */
export const instanceMetadataAddress = '169.254.169.254';

/** The EC2-style id a local instance's metadata gives: `i-` and its id's first 8 hex digits (pudding's name ends so). */
export function ec2StyleIdOf(id: string): string {
  return `i-${id
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 8)
    .toLowerCase()}`;
}

/** A fresh secret that opens one instance's metadata (kept in its record, handed to it in its proxy URL). */
export function newMetadataToken(): string {
  return randomBytes(16).toString('hex');
}

function metadataOf(record: LocalInstanceRecord): Record<string, string> {
  const hostname = `ip-${record.ipAddress.replaceAll('.', '-')}.local`;
  return {
    'ami-id': record.image,
    hostname,
    'instance-id': ec2StyleIdOf(record.id),
    'instance-type': record.instanceType,
    'local-hostname': hostname,
    'local-ipv4': record.ipAddress,
    'placement/availability-zone': 'local',
    'placement/region': 'local',
    'public-hostname': hostname,
    'public-ipv4': record.ipAddress,
  };
}

/** EC2's directory listing: the entries under `prefix`, a subdirectory once with a trailing slash. */
function listing(metadata: Record<string, string>, prefix: string): string | undefined {
  const names = new Set<string>();
  for (const key of Object.keys(metadata)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    names.add(rest.includes('/') ? `${rest.split('/')[0]}/` : rest);
  }
  return names.size > 0 ? [...names].join('\n') : undefined;
}

/** The answer to one metadata path, or undefined (404), as EC2's service gives it. */
function answerFor(record: LocalInstanceRecord, userData: () => string, path: string): string | undefined {
  const metadata = metadataOf(record);
  if (path === '/latest/user-data') return userData();
  if (path === '/latest/dynamic/instance-identity/document') {
    return JSON.stringify({
      instanceId: metadata['instance-id'],
      imageId: record.image,
      instanceType: record.instanceType,
      privateIp: record.ipAddress,
      availabilityZone: 'local',
      region: 'local',
      pendingTime: record.createdAt,
    });
  }
  if (path === '/latest' || path === '/latest/') return 'dynamic\nmeta-data\nuser-data';
  if (!path.startsWith('/latest/meta-data')) return undefined;
  const key = path.slice('/latest/meta-data'.length).replace(/^\//, '');
  if (key === '' || key.endsWith('/')) return listing(metadata, key);
  return Object.hasOwn(metadata, key) ? metadata[key] : listing(metadata, `${key}/`);
}

/** The instance id and token of `Proxy-Authorization: Basic …` (curl sends the proxy URL's userinfo so). */
function credentialsOf(request: IncomingMessage): { id: string; token: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers['proxy-authorization'] ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { id: decoded.slice(0, colon), token: decoded.slice(colon + 1) } : undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * The local provider's instance metadata service, EC2's on this machine. An instance whose image asks for it gets
 * `http_proxy` pointing here with its id and a secret of its own as the proxy's credentials: a script written for
 * EC2 (`curl http://169.254.169.254/latest/meta-data/instance-id`) reaches this server unchanged, which answers for
 * the instance the credentials name (`instance-id`, `local-ipv4`, `public-ipv4`, `user-data`, …). Other plain-HTTP
 * requests sent through the proxy are forwarded (http-proxy-3), so the instance's network works as without it;
 * loopback is in `no_proxy` and never comes here. It listens on 127.0.0.1 on the port it had before (kept in the
 * data dir), because instances outlive the provider and keep the proxy URL they were started with.
 */
export function createInstanceMetadataService(options: {
  dataDir: string;
  /** The live record of an instance (undefined when unknown or terminated). */
  instanceOf(id: string): LocalInstanceRecord | undefined;
  userDataOf(id: string): string;
  warn(message: string): void;
}) {
  const stateFile = join(options.dataDir, 'instance-metadata.json');
  const forwarder = createProxyServer({ proxyTimeout: 60_000 });
  forwarder.on('error', (_error, _request, response) => {
    if ('writeHead' in response && !response.headersSent) reply(response, 502, 'bad gateway\n');
    else response.destroy();
  });

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const credentials = credentialsOf(request);
    const record = credentials && options.instanceOf(credentials.id);
    if (!credentials || !record?.metadataToken || !sameSecret(credentials.token, record.metadataToken)) {
      reply(response, 407, 'not an instance of this local provider\n');
      return;
    }
    let target: URL;
    try {
      target = new URL(request.url ?? '', `http://${instanceMetadataAddress}`);
    } catch {
      reply(response, 400, 'bad request\n');
      return;
    }
    delete request.headers['proxy-authorization'];
    if (target.hostname !== instanceMetadataAddress) {
      request.url = `${target.pathname}${target.search}`;
      forwarder.web(request, response, { target: target.origin });
      return;
    }
    if (request.method === 'PUT' && target.pathname === '/latest/api/token') {
      // IMDSv2's session token: handed out so SDKs that ask first carry on; the proxy credentials are the check.
      reply(response, 200, randomBytes(24).toString('base64url'));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply(response, 405, 'method not allowed\n');
      return;
    }
    const answer = answerFor(record, () => options.userDataOf(record.id), target.pathname);
    if (answer === undefined) reply(response, 404, 'Not Found\n');
    else reply(response, 200, answer);
  }

  const server: Server = createServer(handle);
  let port: number | undefined;

  function listenOn(wanted: number): Promise<number> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : wanted);
      });
    });
  }

  async function start(): Promise<void> {
    let previous: number | undefined;
    try {
      previous = (JSON.parse(readFileSync(stateFile, 'utf8')) as { port?: number }).port;
    } catch {
      previous = undefined;
    }
    try {
      port = await listenOn(previous ?? 0);
    } catch (error) {
      options.warn(
        `local provider: instance metadata cannot listen on 127.0.0.1:${previous} again ` +
          `(${(error as Error).message}); instances started before this restart lose their metadata`,
      );
      port = await listenOn(0);
    }
    writeFileAtomic(stateFile, JSON.stringify({ port }));
  }

  const ready = start();
  // A failure shows where it is awaited (the create of an instance that needs metadata), not as an unhandled rejection.
  ready.catch(() => undefined);

  return {
    ready,
    /** The environment that routes the instance's EC2 metadata requests here, with its credentials. */
    environmentFor(record: LocalInstanceRecord & { metadataToken: string }): Record<string, string> {
      if (port === undefined) throw new Error('local provider: instance metadata is not listening yet');
      const proxy = `http://${record.id}:${record.metadataToken}@127.0.0.1:${port}`;
      const direct = 'localhost,127.0.0.0/8,::1';
      return { http_proxy: proxy, HTTP_PROXY: proxy, no_proxy: direct, NO_PROXY: direct };
    },
    async close(): Promise<void> {
      await ready.catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      forwarder.close();
    },
  };
}

export type InstanceMetadataService = ReturnType<typeof createInstanceMetadataService>;
