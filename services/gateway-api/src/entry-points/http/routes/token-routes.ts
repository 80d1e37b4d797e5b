import type { TokenRecord } from '../../../domain/ports';
import type { CreateToken } from '../../../domain/create-token';
import type { ListTokens } from '../../../domain/list-tokens';
import type { RevokeToken } from '../../../domain/revoke-token';
import { maxTokenId } from '../../../domain/token-format';
import type { components } from '../generated/openapi';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';

function toWire(token: TokenRecord): components['schemas']['Token'] {
  return {
    id: String(token.id),
    description: token.description,
    role: token.role,
    tenant_id: token.tenantId,
    created_at: token.createdAt.toISOString(),
  };
}

/** POST /tokens (admin), GET /tokens, DELETE /tokens/{id}: the caller's tenant only. */
export function tokenRoutes(deps: {
  createToken: CreateToken;
  listTokens: ListTokens;
  revokeToken: RevokeToken;
}): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/tokens',
      async handle(_req, res, { body }) {
        const caller = principalOf(res);
        const created = await deps.createToken({
          tenantId: caller.tenantId,
          description: body.description,
          role: body.role,
          createdBy: caller,
        });
        res.status(201).json({ ...toWire(created.record), token: created.token });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tokens',
      async handle(_req, res) {
        const tokens = await deps.listTokens(principalOf(res));
        res.json({ tokens: tokens.map(toWire) });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/tokens/{id}',
      async handle(_req, res, { path }) {
        // The spec's pattern admits only digits; an id beyond any SERIAL simply is not found.
        const id = Number(path.id);
        await deps.revokeToken(principalOf(res), id <= maxTokenId ? id : 0);
        res.status(204).end();
      },
    }),
  ];
}
