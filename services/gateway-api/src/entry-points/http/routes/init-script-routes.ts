import { AppError, getInitScriptRpc, isAppError } from '@overcast/contracts';
import type { SharedRateLimiter } from '../../../domain/rate-limiter';
import { failureKey } from '../../../domain/verify-token';
import { clientAddressOf } from '../client-address';
import { callerOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';

/**
 * GET /init-scripts/{build_id}, fetched by booting instances with their build's Basic `x:<secret>` (or by
 * a person with a token). The broker checks the secret against its hash and expiry; a wrong secret counts
 * against the client's failure budget like a wrong token, so secrets cannot be guessed at scale.
 */
export function initScriptRoutes(deps: {
  call: RpcClient;
  limiter: SharedRateLimiter;
  authFailuresPerClient: number;
}): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/init-scripts/{build_id}',
      async handle(req, res, { path }) {
        const caller = callerOf(res);
        const buildId = path.build_id;
        if (caller?.kind !== 'build-secret') {
          if (caller?.kind !== 'token') throw new AppError('unauthenticated', 'invalid credentials');
          const { script } = await deps.call(getInitScriptRpc, { buildId, tenantId: caller.principal.tenantId });
          return void res.type('text/x-shellscript; charset=utf-8').send(script);
        }
        const client = clientAddressOf(req);
        const budget = deps.limiter.peek(failureKey(client), deps.authFailuresPerClient);
        if (!budget.allowed) {
          res.setHeader('Retry-After', String(budget.resetSeconds));
          throw new AppError('rate_limited', 'too many failed authentications from this client');
        }
        try {
          const { script } = await deps.call(getInitScriptRpc, { buildId, secret: caller.secret });
          res.type('text/x-shellscript; charset=utf-8').send(script);
        } catch (error) {
          if (isAppError(error) && error.code === 'not_found') deps.limiter.record(failureKey(client));
          throw error;
        }
      },
    }),
  ];
}
