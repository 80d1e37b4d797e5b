import type { ApiContext } from './http.ts';
import { expectSuccess } from './http.ts';
import type { RequestOptions } from './transport/send-with-retries.ts';
import type { CreatedToken, CreateTokenRequest, Token } from './types.ts';

export interface TokensApi {
  /**
   * The secret is in `token` and is shown only this once. Not retried after a 503 or a broken connection:
   * the API takes no Idempotency-Key here yet.
   */
  create(request: CreateTokenRequest, options?: RequestOptions): Promise<CreatedToken>;
  list(options?: RequestOptions): Promise<Token[]>;
  revoke(id: string, options?: RequestOptions): Promise<void>;
}

export function createTokensApi({ http, call }: ApiContext): TokensApi {
  return {
    create: (request, options) => expectSuccess(http.POST('/tokens', { body: request, ...call(options) })),
    list: async (options) => (await expectSuccess(http.GET('/tokens', { ...call(options) }))).tokens,
    revoke: async (id, options) => {
      await expectSuccess(http.DELETE('/tokens/{id}', { params: { path: { id } }, ...call(options) }));
    },
  };
}
