import { Agent, createServer } from 'node:http';
import type { Server } from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import { ProviderError } from '../../core/compute';
import type { LoadBalancerListener, PortMapping } from '../container-platform';

export interface BalancerTarget {
  address: string;
  /** The target's ports by the balancer port they serve (its task definition's mappings). */
  portFor(lbPort: number): number | undefined;
}

/**
 * A service's local load balancer: one HTTP listener per port mapping on the balancer's own loopback address,
 * spreading requests round-robin over the service's healthy tasks through http-proxy-3 with kept-alive
 * connections. 503 when no task is healthy, 502 when the chosen task fails mid-request.
 */
export function createServiceBalancer(options: {
  address: string;
  portMappings: PortMapping[];
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
  let turn = 0;
  let mappings = options.portMappings;

  function listen(mapping: PortMapping): Promise<void> {
    const server = createServer((request, response) => {
      const candidates = options.targets().filter((target) => target.portFor(mapping.lbPort) !== undefined);
      const target = candidates[turn++ % Math.max(candidates.length, 1)];
      if (!target) {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'no healthy task' }));
        return;
      }
      proxy.web(request, response, { target: `http://${target.address}:${target.portFor(mapping.lbPort)}` });
    });
    servers.push(server);
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
      server.listen(mapping.lbPort, options.address, () => resolve());
    });
  }

  async function closeServers(): Promise<void> {
    const open = servers.splice(0);
    await Promise.all(
      open.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
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
      return mappings.map((mapping) => ({ protocol: 'HTTP', lbPort: mapping.lbPort, instancePort: mapping.hostPort }));
    },
    async close(): Promise<void> {
      await closeServers();
      proxy.close();
      agent.destroy();
    },
  };
}

export type ServiceBalancer = ReturnType<typeof createServiceBalancer>;
