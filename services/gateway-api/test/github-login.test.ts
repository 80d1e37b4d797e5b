import type { Database } from '@overcast/db';
import { describeWithPostgres, type TestDatabase } from '@overcast/test-kit';
import { startFakeGitHub, type FakeGitHub } from './support/fake-github';
import { specCheckedFetch } from './support/spec-conformance';
import { authorization, openMigratedDatabase, startGateway, type RunningGateway } from './support/gateway-harness';

describeWithPostgres('POST /login with a GitHub token', () => {
  const { fetch, problems } = specCheckedFetch();
  let testDatabase: TestDatabase;
  let database: Database;
  let github: FakeGitHub;
  let gateway: RunningGateway;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    github = await startFakeGitHub({
      'gh-admin': {
        login: 'octocat',
        teams: [
          { organization: 'other-org', name: 'Admin developers' },
          { organization: 'degica', name: 'developers' },
          { organization: 'degica', name: 'Admin developers' },
        ],
      },
      'gh-developer': { login: 'hubot', teams: [{ organization: 'degica', name: 'developers' }] },
      'gh-reviewer': { login: 'monalisa', teams: [{ organization: 'degica', name: 'reviewers' }] },
    });
    gateway = await startGateway({
      database,
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_ORGANIZATION: 'degica',
        GITHUB_ADMIN_TEAM: 'Admin developers',
        GITHUB_DEVELOPER_TEAM: 'developers',
      },
    });
  });

  afterAll(async () => {
    await gateway.stop();
    await github.close();
    await database.close();
    await testDatabase.drop();
  });

  const login = (githubToken?: string) =>
    fetch(`${gateway.url}/login`, { method: 'POST', headers: githubToken ? { 'x-github-token': githubToken } : {} });

  it('logs an admin-team member in as admin, reading every page of teams', async () => {
    const response = await login('gh-admin');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { login: string; token: string };
    expect(body.login).toBe('octocat');
    expect(body.token).toMatch(/^\d+-[0-9a-f]{32}$/);
    expect(github.requests).toEqual(
      expect.arrayContaining(['GET /user token gh-admin', 'GET /user/teams token gh-admin']),
    );
    expect(github.requests.filter((line) => line.startsWith('GET /user/teams')).length).toBe(2);

    const created = await fetch(`${gateway.url}/tokens`, {
      method: 'POST',
      headers: { ...authorization(body.token), 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'made by a GitHub admin', role: 'admin' }),
    });
    expect(created.status).toBe(201);
  });

  it('logs a developer-team member in as developer, into the organisation’s tenant', async () => {
    const developer = (await (await login('gh-developer')).json()) as { token: string };
    const admin = (await (await login('gh-admin')).json()) as { token: string };
    const asDeveloper = await fetch(`${gateway.url}/kaboom`, {
      method: 'POST',
      headers: authorization(developer.token),
    });
    expect(asDeveloper.status).toBe(403);
    const mine = (await (await fetch(`${gateway.url}/tokens`, { headers: authorization(developer.token) })).json()) as {
      tokens: { role: string; tenant_id: string; description: string }[];
    };
    expect(mine.tokens).toEqual([expect.objectContaining({ role: 'developer', description: 'GitHub login hubot' })]);
    const all = (await (await fetch(`${gateway.url}/tokens`, { headers: authorization(admin.token) })).json()) as {
      tokens: { tenant_id: string }[];
    };
    expect(new Set(all.tokens.map((token) => token.tenant_id))).toEqual(new Set([mine.tokens[0]?.tenant_id]));
  });

  it('answers 401 to members of other teams only', async () => {
    const response = await login('gh-reviewer');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { code: 'unauthenticated', message: 'You are not allowed to login' },
    });
  });

  it('answers 401 when GitHub refuses the token, and 400 when there is none', async () => {
    expect((await login('not-a-github-token')).status).toBe(401);
    const missing = await login();
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { details: [{ path: 'headers.x-github-token', message: 'is required' }] },
    });
  });

  it('answers 503 when GitHub cannot be reached', async () => {
    const unreachable = await startGateway({
      database,
      env: { GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_ORGANIZATION: 'degica' },
    });
    try {
      expect(
        (await fetch(`${unreachable.url}/login`, { method: 'POST', headers: { 'x-github-token': 'gh-admin' } })).status,
      ).toBe(503);
    } finally {
      await unreachable.stop();
    }
  });

  it('answered every request as the OpenAPI spec documents', () => {
    expect(problems).toEqual([]);
  });
});
