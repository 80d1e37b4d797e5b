import { AppError } from '@overcast/contracts';
import { tracedFetch } from '@overcast/service-kit';
import type { GitHubApi, GitHubTeam, GitHubUser } from '../domain/ports';

export interface GitHubApiOptions {
  /** https://api.github.com, or GitHub Enterprise's `/api/v3`, or a loopback server in tests. */
  baseUrl: string;
  timeoutMs: number;
}

// More teams than this is not a person logging in; it also bounds the work one login can cause.
const maxTeamPages = 10;

function nextPageUrl(link: string | null): string | null {
  if (!link) return null;
  const next = link.split(',').find((part) => /rel="next"/.test(part));
  const match = next ? /<([^>]+)>/.exec(next) : null;
  return match?.[1] ?? null;
}

/** The two GitHub REST endpoints a login needs, called with the user's own token. */
export function createGitHubApi(options: GitHubApiOptions): GitHubApi {
  const base = options.baseUrl.replace(/\/+$/, '');

  async function get(url: string, token: string): Promise<Response> {
    let response: Response;
    try {
      response = await tracedFetch(url, {
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `token ${token}`,
          'user-agent': 'overcast-gateway',
          'x-github-api-version': '2022-11-28',
        },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw new AppError('unavailable', 'GitHub did not answer', { cause: error });
    }
    if (response.status === 401 || response.status === 403) {
      throw new AppError('unauthenticated', 'GitHub refused the token');
    }
    if (!response.ok) throw new AppError('unavailable', `GitHub answered ${response.status}`);
    return response;
  }

  return {
    async getUser(token: string): Promise<GitHubUser> {
      const body = (await (await get(`${base}/user`, token)).json()) as Partial<GitHubUser>;
      if (typeof body.login !== 'string') throw new AppError('unavailable', 'GitHub answered /user without a login');
      return { login: body.login };
    },

    async listTeams(token: string): Promise<GitHubTeam[]> {
      const teams: GitHubTeam[] = [];
      let url: string | null = `${base}/user/teams?per_page=100`;
      for (let page = 0; url && page < maxTeamPages; page += 1) {
        const response = await get(url, token);
        const body = (await response.json()) as unknown;
        if (!Array.isArray(body))
          throw new AppError('unavailable', 'GitHub answered /user/teams with something other than a list');
        for (const team of body as Partial<GitHubTeam>[]) {
          if (typeof team.name === 'string' && typeof team.organization?.login === 'string') {
            teams.push({
              name: team.name,
              slug: team.slug ?? team.name,
              organization: { login: team.organization.login },
            });
          }
        }
        url = nextPageUrl(response.headers.get('link'));
      }
      return teams;
    },
  };
}
