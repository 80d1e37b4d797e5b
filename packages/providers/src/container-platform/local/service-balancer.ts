import { Agent, createServer, Server as HttpServer } from 'node:http';
import type { Server, Socket } from 'node:net';
import { connect, createServer as createTcpServer } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import { ProviderError } from '../../core/compute';
import type { LoadBalancerListener, PortMapping } from '../container-platform';
import { describeHolders, holdersOf } from './address-holders';

export interface BalancerTarget {
  address: string;
  /** The target's ports by the balancer port they serve (its task definition's mappings). */
  portFor(lbPort: number): number | undefined;
}

/**
 * How a balancer spreads: `reuse-port` per connection by the kernel (the tasks themselves listen on the balancer's
 * address with SO_REUSEPORT; nothing is proxied), `http` per request (http-proxy-3 with kept-alive connections to
 * the tasks; a client that keeps its connection still reaches every task), `tcp` per connection (bytes piped, as
 * the classic ELB's TCP listeners did; a kept-alive client stays on one task).
 */
export type BalancerProtocol = 'reuse-port' | 'http' | 'tcp';

/** How long a reuse-port balancer waits for an address no process holds to be released (closing sockets). */
const releaseWaitMs = 3_000;

/**
 * A service's local load balancer on its own loopback address. reuse-port: no listener of its own, the tasks listen
 * there. Otherwise one listener per port mapping, spreading round-robin over the service's healthy tasks; over
 * http: 503 when no task is healthy, 502 when the chosen task fails mid-request; over tcp the connection is closed.
 */
export function createServiceBalancer(options: {
  address: string;
  portMappings: PortMapping[];
  protocol: BalancerProtocol;
  targets(): BalancerTarget[];
}) {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const proxy = createProxyServer({ agent, xfwd: true, proxyTimeout: 60_000 });
  proxy.on('error', (_error, _request, response) => {
    if ('writeHead' in response && !response.headersSent) {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'bad_gateway' }));
    } else {
      response.destroy();
    }
  });
  const servers: Server[] = [];
  const tcpSockets = new Set<Socket>();
  let turn = 0;
  let mappings = options.portMappings;

  function nextTarget(lbPort: number): { address: string; port: number } | undefined {
    const candidates = options.targets().filter((target) => target.portFor(lbPort) !== undefined);
    const target = candidates[turn++ % Math.max(candidates.length, 1)];
    const port = target?.portFor(lbPort);
    return target && port !== undefined ? { address: target.address, port } : undefined;
  }

  function pipeConnection(client: Socket, lbPort: number): void {
    const target = nextTarget(lbPort);
    if (!target) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.address);
    for (const socket of [client, upstream]) {
      tcpSockets.add(socket);
      socket.once('close', () => tcpSockets.delete(socket));
    }
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  }

  function httpServer(mapping: PortMapping): Server {
    return createServer((request, response) => {
      const target = nextTarget(mapping.lbPort);
      if (!target) {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'no healthy task' }));
        return;
      }
      proxy.web(request, response, { target: `http://${target.address}:${target.port}` });
    });
  }

  function listenOn(server: Server, mapping: PortMapping): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new ProviderError(
            `local load balancer cannot listen on ${options.address}:${mapping.lbPort}: ${error.message}`,
            {
              retryable: error.code !== 'EACCES',
              code: error.code ?? 'LISTEN_FAILED',
              cause: error,
            },
          ),
        ),
      );
      server.listen({ port: mapping.lbPort, host: options.address }, () => resolve());
    });
  }

  /**
   * The tasks will listen here themselves (given it as OVERCAST_LB_IP/PORT when they start), with SO_REUSEPORT. So
   * the address must be free before the first of them binds: the kernel lets any process of this user join the
   * group, and a task a dead control plane left (tasks are detached and outlive it) would silently take a share of
   * this service's connections. Bound once without SO_REUSEPORT, it is refused now if anything holds it, the holders
   * named; this also refuses what the tasks could not take anyway (a privileged port, another's listener).
   */
  async function claimSharedAddress(mapping: PortMapping): Promise<void> {
    const trial = createTcpServer((socket) => socket.destroy());
    const deadline = Date.now() + releaseWaitMs;
    for (;;) {
      try {
        await listenOn(trial, mapping);
        break;
      } catch (error) {
        if (!(error instanceof ProviderError) || error.code !== 'EADDRINUSE') throw error;
        const found = holdersOf(options.address, mapping.lbPort);
        // No process holds it: sockets of tasks just killed (a restart stops what a crash left) are still closing.
        if (found.length === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        throw refusal(mapping, describeHolders(found), error);
      }
    }
    await new Promise<void>((resolve) => trial.close(() => resolve()));
  }

  function refusal(mapping: PortMapping, holders: string, error: ProviderError): ProviderError {
    return new ProviderError(
      `local load balancer address ${options.address}:${mapping.lbPort} is already held by ${holders}, which this ` +
        `control plane does not run; its tasks would join this service's balancer (SO_REUSEPORT) and answer for ` +
        `it. Stop them (a control plane that died leaves its tasks running) and deploy again`,
      { retryable: false, code: 'EADDRINUSE', cause: error },
    );
  }

  function listen(mapping: PortMapping): Promise<void> {
    if (options.protocol === 'reuse-port') return claimSharedAddress(mapping);
    const server =
      options.protocol === 'tcp'
        ? createTcpServer((client) => pipeConnection(client, mapping.lbPort))
        : httpServer(mapping);
    servers.push(server);
    return listenOn(server, mapping);
  }

  async function closeServers(): Promise<void> {
    const open = servers.splice(0);
    const closed = open.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    // Close waits for every connection to end: kept-alive clients are cut instead.
    for (const server of open) if (server instanceof HttpServer) server.closeAllConnections();
    for (const socket of tcpSockets) socket.destroy();
    await Promise.all(closed);
  }

  return {
    address: options.address,
    async start(): Promise<void> {
      try {
        for (const mapping of mappings) await listen(mapping);
      } catch (error) {
        await closeServers();
        throw error;
      }
    },
    /** Listen on a changed set of ports (a release that changed its mappings). */
    async reconfigure(portMappings: PortMapping[]): Promise<void> {
      const same = (a: PortMapping[], b: PortMapping[]) =>
        a.map((m) => m.lbPort).join() === b.map((m) => m.lbPort).join();
      if (same(mappings, portMappings)) {
        mappings = portMappings;
        return;
      }
      await closeServers();
      mappings = portMappings;
      await this.start();
    },
    listeners(): LoadBalancerListener[] {
      const protocol = options.protocol === 'http' ? 'HTTP' : 'TCP';
      return mappings.map((mapping) => ({ protocol, lbPort: mapping.lbPort, instancePort: mapping.hostPort }));
    },
    async close(): Promise<void> {
      await closeServers();
      proxy.close();
      agent.destroy();
    },
  };
}

export type ServiceBalancer = ReturnType<typeof createServiceBalancer>;
