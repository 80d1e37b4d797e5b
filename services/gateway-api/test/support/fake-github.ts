import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHubAccount {
  login: string;
  teams: { organization: string; name: string }[];
}

export interface FakeGitHub {
  url: string;
  /** Requests seen, as `METHOD path authorization`. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A loopback server answering the two endpoints a login uses the way GitHub's REST API does: 401 with
 * GitHub's message for an unknown token, `GET /user`, and `GET /user/teams` paginated with a Link header.
 */
export async function startFakeGitHub(accounts: Record<string, GitHubAccount>, pageSize = 2): Promise<FakeGitHub> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname} ${req.headers.authorization ?? ''}`);
    const token = /^token (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    // Own keys only: a token named `__proto__` is unknown, as it is to GitHub.
    const account = token !== undefined && Object.hasOwn(accounts, token) ? accounts[token] : undefined;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    if (!account) {
      res.statusCode = 401;
      return res.end(JSON.stringify({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }));
    }
    if (url.pathname === '/user') return res.end(JSON.stringify({ login: account.login, id: 1, type: 'User' }));
    if (url.pathname === '/user/teams') {
      const page = Number(url.searchParams.get('page') ?? '1');
      const teams = account.teams.map((team, index) => ({
        id: index + 1,
        name: team.name,
        slug: team.name.toLowerCase().replace(/\s+/g, '-'),
        permission: 'pull',
        organization: { login: team.organization, id: 100 + index },
      }));
      const slice = teams.slice((page - 1) * pageSize, page * pageSize);
      if (page * pageSize < teams.length) {
        res.setHeader(
          'link',
          `<http://${req.headers.host}/user/teams?per_page=${pageSize}&page=${page + 1}>; rel="next"`,
        );
      }
      return res.end(JSON.stringify(slice));
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ message: 'Not Found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
