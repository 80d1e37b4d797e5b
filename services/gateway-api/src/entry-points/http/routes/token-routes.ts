import type { Role } from '@overcast/contracts';
import type { TokenRecord } from '../../../data-access/token-repository';
import type { CreateToken } from '../../../domain/create-token';
import type { ListTokens } from '../../../domain/list-tokens';
import type { RevokeToken } from '../../../domain/revoke-token';
import { maxTokenId } from '../../../domain/token-format';
import { inputOf, principalOf } from '../request-context';
import type { RouteDefinition } from '../route-definition';

function toWire(token: TokenRecord) {
  return {
    id: String(token.id),
    description: token.description,
    role: token.role,
    tenant_id: token.tenantId,
    created_at: token.createdAt.toISOString(),
  };
}

/** POST /tokens (admin), GET /tokens, DELETE /tokens/{id}: the caller's tenant only. */
export function tokenRoutes(deps: { createToken: CreateToken; listTokens: ListTokens; revokeToken: RevokeToken }): RouteDefinition[] {
  return [
    {
      method: 'post',
      path: '/tokens',
      async handle(_req, res) {
        const caller = principalOf(res);
        const body = inputOf(res).body as { description: string; role: Role };
        const created = await deps.createToken({ tenantId: caller.tenantId, description: body.description, role: body.role, createdBy: caller });
        res.status(201).json({ ...toWire(created.record), token: created.token });
      },
    },
    {
      method: 'get',
      path: '/tokens',
      async handle(_req, res) {
        const tokens = await deps.listTokens(principalOf(res));
        res.json({ tokens: tokens.map(toWire) });
      },
    },
    {
      method: 'delete',
      path: '/tokens/{id}',
      async handle(_req, res) {
        // The spec's pattern admits only digits; an id beyond any SERIAL simply is not found.
        const id = Number(inputOf(res).path.id);
        await deps.revokeToken(principalOf(res), id <= maxTokenId ? id : 0);
        res.status(204).end();
      },
    },
  ];
}
