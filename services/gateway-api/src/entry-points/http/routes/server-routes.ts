import { defineRoute, type RouteDefinition } from '../route-definition';

/**
 * Pudding's server operations. `DELETE /` answers 204 first and only then asks for the graceful
 * shutdown, so the caller sees its answer; `GET /debug/vars` is its expvar page without the environment (secrets);
 * `POST /kaboom` throws to prove a crashing handler answers 500 and the process keeps serving.
 */
export function serverRoutes(deps: { requestShutdown: () => void }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/',
      handle(_req, res) {
        res.type('text/plain; charset=utf-8').send('ohai\n');
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/',
      handle(_req, res) {
        res.once('finish', () => setImmediate(deps.requestShutdown));
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/debug/vars',
      handle(_req, res) {
        const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
        res.json({
          memstats: { rss, heapTotal, heapUsed, external, arrayBuffers },
          uptime_seconds: process.uptime(),
          runtime: `node ${process.version}`,
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/kaboom',
      handle() {
        throw new Error('kaboom: crash drill requested over the API');
      },
    }),
  ];
}
