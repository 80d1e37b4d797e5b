import type { OvercastHttpClient } from './http';
import { expectSuccess } from './http';
import type { CreatedToken, CreateTokenRequest, Token } from './types';

export interface TokensApi {
  /** The secret is in `token` and is shown only this once. */
  create(request: CreateTokenRequest): Promise<CreatedToken>;
  list(): Promise<Token[]>;
  revoke(id: string): Promise<void>;
}

export function createTokensApi(http: OvercastHttpClient): TokensApi {
  return {
    create: (request) => expectSuccess(http.POST('/tokens', { body: request })),
    list: async () => (await expectSuccess(http.GET('/tokens'))).tokens,
    revoke: async (id) => {
      await expectSuccess(http.DELETE('/tokens/{id}', { params: { path: { id } } }));
    },
  };
}
