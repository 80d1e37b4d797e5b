import type { LoginWithGitHub } from '../../../domain/login-with-github';
import { inputOf } from '../request-context';
import type { RouteDefinition } from '../route-definition';

/** Barcelona's POST /login: `X-GitHub-Token` in, `{login, token}` out. */
export function loginRoutes(deps: { loginWithGitHub: LoginWithGitHub }): RouteDefinition[] {
  return [
    {
      method: 'post',
      path: '/login',
      async handle(_req, res) {
        const githubToken = String(inputOf(res).headers['x-github-token']);
        res.json(await deps.loginWithGitHub(githubToken));
      },
    },
  ];
}
