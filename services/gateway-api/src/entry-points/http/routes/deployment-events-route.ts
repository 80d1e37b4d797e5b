import { setTimeout as sleep } from 'node:timers/promises';
import { isAppError, listDeploymentEventsRpc } from '@overcast/contracts';
import type { Logger } from '@overcast/service-kit';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { eventToServerSentEvent } from '../wire/registry-wire';
import { pathIdFor } from './forwarded-values';

export interface DeploymentEventsRouteDeps {
  call: RpcClient;
  logger: Logger;
  /** How often an open stream asks the registry for events after its last one. */
  eventPollIntervalMs: number;
  /** Aborted when the gateway stops: open streams end at once instead of holding the drain to its deadline. */
  shuttingDown: AbortSignal;
}

const pageSize = 200;
// A comment line this often keeps an idle stream open through proxies that close silent connections.
const keepAliveMs = 15_000;

/**
 * `GET /deployments/{id}/events` as server-sent events. The registry keeps every event with an increasing seq; the
 * stream asks for those after the last one it sent (from the start, or after `Last-Event-ID`), so a reconnect
 * resumes exactly where the client stopped reading, on any gateway replica.
 */
export function deploymentEventsRoute(deps: DeploymentEventsRouteDeps): RouteDefinition {
  return defineRoute({
    method: 'get',
    path: '/deployments/{id}/events',
    async handle(req, res, { path, query, headers }) {
      const tenantId = principalOf(res).tenantId;
      const id = pathIdFor(listDeploymentEventsRpc.request, path.id, 'deployment not found');
      let after = headers['last-event-id'] ?? 0;
      const nextPage = async () =>
        (await deps.call(listDeploymentEventsRpc, { tenantId, id, after, limit: pageSize })).events;
      // The first page before any header: an unknown deployment answers 404 as JSON, not an empty stream.
      let events = await nextPage();

      const ended = new AbortController();
      res.once('close', () => ended.abort());
      deps.shuttingDown.addEventListener('abort', () => ended.abort(), { once: true, signal: ended.signal });
      res.status(200).set({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 1000\n\n');
      let lastWriteAt = Date.now();

      while (!ended.signal.aborted) {
        for (const event of events) {
          res.write(eventToServerSentEvent(event));
          after = event.seq;
          lastWriteAt = Date.now();
        }
        if (events.length < pageSize) {
          if (query.follow === false) break;
          await sleep(deps.eventPollIntervalMs, undefined, { signal: ended.signal }).catch(() => undefined);
          if (ended.signal.aborted) break;
          if (Date.now() - lastWriteAt >= keepAliveMs) {
            res.write(': keep-alive\n\n');
            lastWriteAt = Date.now();
          }
        }
        try {
          events = await nextPage();
        } catch (error) {
          // Deleted while followed: the stream ends. Anything else (a registry restarting) is asked again later.
          if (isAppError(error) && error.code === 'not_found') break;
          deps.logger.warn({ err: error, deploymentId: id }, 'deployment events: the registry did not answer');
          events = [];
        }
      }
      if (!res.writableEnded) res.end();
    },
  });
}
