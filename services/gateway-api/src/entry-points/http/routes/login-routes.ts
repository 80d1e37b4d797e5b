import type { LoginWithGitHub } from '../../../domain/login-with-github';
import { defineRoute, type RouteDefinition } from '../route-definition';

/** Barcelona's POST /login: `X-GitHub-Token` in, `{login, token}` out. */
export function loginRoutes(deps: { loginWithGitHub: LoginWithGitHub }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/login',
      async handle(_req, res, { headers }) {
        res.json(await deps.loginWithGitHub(headers['x-github-token']));
      },
    }),
  ];
}
