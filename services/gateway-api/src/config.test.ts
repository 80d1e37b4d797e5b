import { ConfigError } from '@overcast/service-kit';
import {
  defaultScryptConcurrency,
  loadDatabaseConfigOrExit,
  loadGatewayConfigOrExit,
  parseGatewayConfig,
} from './config';

const required = { DATABASE_URL: 'postgres://gateway:secret@db:5432/overcast' };

function problemsOf(env: Record<string, string>): Record<string, string> {
  try {
    parseGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      return Object.fromEntries(error.problems.map((problem) => [problem.variable, problem.problem]));
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('gateway configuration', () => {
  it('needs only DATABASE_URL and defaults everything else safely', () => {
    const config = parseGatewayConfig(required);
    expect(config).toMatchObject({
      port: 8080,
      databaseSchema: 'gateway_api',
      amqpUrl: undefined,
      trustProxy: false,
      tokens: { cacheTtlMs: 5000 },
      scrypt: { concurrency: defaultScryptConcurrency, failuresPerSecond: 2 },
      rateLimits: { windowSeconds: 60, authFailuresPerClient: 30 },
      github: { apiUrl: 'https://api.github.com', organization: undefined, adminTeam: undefined },
      statusServices: ['instance-broker'],
    });
  });

  it('reads lists, hop counts and GitHub teams', () => {
    const config = parseGatewayConfig({
      ...required,
      STATUS_SERVICES: 'instance-broker,registry',
      TRUST_PROXY: '2',
      GITHUB_ORGANIZATION: 'degica',
      GITHUB_ADMIN_TEAM: 'Admin developers',
    });
    expect(config.statusServices).toEqual(['instance-broker', 'registry']);
    expect(config.trustProxy).toBe(2);
    expect(config.github).toMatchObject({
      organization: 'degica',
      adminTeam: 'Admin developers',
      developerTeam: undefined,
    });
  });

  it('names every bad variable at once', () => {
    expect(
      problemsOf({
        DATABASE_SCHEMA: 'Gateway-API',
        TOKEN_CACHE_TTL_MS: '0',
        STATUS_SERVICES: 'a,,b',
        PUBLIC_URL: 'ftp://x',
      }),
    ).toEqual({
      DATABASE_URL: 'is required but not set',
      DATABASE_SCHEMA: 'must be a lowercase Postgres identifier (letters, digits, _)',
      TOKEN_CACHE_TTL_MS: 'must be a positive whole number',
      STATUS_SERVICES: 'must be a comma-separated list of service names',
      PUBLIC_URL: 'must be an http:// or https:// URL',
    });
  });
});

describe('gateway configuration at start', () => {
  it('prints every bad variable and exits 1, through the same schema', () => {
    let printed = '';
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    expect(() =>
      loadGatewayConfigOrExit({ env: { ...required, PORT: 'eighty' }, write: (text) => (printed += text), exit }),
    ).toThrow('exit 1');
    expect(printed.trimEnd().split('\n')).toEqual([
      'invalid configuration:',
      '  PORT: must be a port number from 0 to 65535',
    ]);
  });

  it('gives overcast-admin the database only, and needs nothing else', () => {
    expect(loadDatabaseConfigOrExit({ env: { ...required, TOKEN_CACHE_TTL_MS: '0' } })).toEqual({
      databaseUrl: required.DATABASE_URL,
      databaseSchema: 'gateway_api',
    });
  });
});
