import { z } from 'zod';
import { ConfigError, loadConfigOrExit, parseConfig } from './parse-config';
import {
  amqpUrlVariable,
  booleanVariable,
  databaseUrlVariable,
  logLevelVariable,
  optionalPositiveIntegerVariable,
  portVariable,
  positiveIntegerVariable,
} from './variables';

const schema = z.object({
  PORT: portVariable(8080),
  LOG_LEVEL: logLevelVariable(),
  DATABASE_URL: databaseUrlVariable(),
  AMQP_URL: amqpUrlVariable().optional(),
  RPC_TIMEOUT_MS: positiveIntegerVariable(5000),
  REQUIRE_TLS: booleanVariable(false),
  POOL_SIZE: optionalPositiveIntegerVariable(),
});

const validEnv = { DATABASE_URL: 'postgresql://overcast:secret@db:5432/overcast?schema=gateway_api' };

function problemsOf(env: NodeJS.ProcessEnv): Record<string, string> {
  try {
    parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return Object.fromEntries(error.problems.map((p) => [p.variable, p.problem]));
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('returns typed values with defaults for unset variables', () => {
    expect(parseConfig(schema, validEnv)).toEqual({
      PORT: 8080,
      LOG_LEVEL: 'info',
      DATABASE_URL: validEnv.DATABASE_URL,
      AMQP_URL: undefined,
      RPC_TIMEOUT_MS: 5000,
      REQUIRE_TLS: false,
      POOL_SIZE: undefined,
    });
  });

  it('converts set variables to their types', () => {
    const config = parseConfig(schema, {
      ...validEnv,
      PORT: '0',
      LOG_LEVEL: 'silent',
      AMQP_URL: 'amqps://user:pass@mq.example:5671/vhost',
      RPC_TIMEOUT_MS: '250',
      REQUIRE_TLS: 'yes',
      POOL_SIZE: '3',
    });
    expect(config).toMatchObject({
      PORT: 0,
      LOG_LEVEL: 'silent',
      RPC_TIMEOUT_MS: 250,
      REQUIRE_TLS: true,
      POOL_SIZE: 3,
    });
  });

  it('treats an empty variable as unset, so its default applies', () => {
    const config = parseConfig(schema, { ...validEnv, PORT: '', AMQP_URL: '' });
    expect(config.PORT).toBe(8080);
    expect(config.AMQP_URL).toBeUndefined();
  });

  it('names a missing required variable', () => {
    expect(problemsOf({})).toEqual({ DATABASE_URL: 'is required but not set' });
  });

  it('names every invalid variable at once, with why', () => {
    const problems = problemsOf({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://db/overcast',
      AMQP_URL: 'not a url',
      RPC_TIMEOUT_MS: '-1',
      REQUIRE_TLS: 'maybe',
      POOL_SIZE: '0',
    });
    expect(problems).toEqual({
      PORT: 'must be a port number from 0 to 65535',
      LOG_LEVEL: 'must be one of fatal, error, warn, info, debug, trace, silent',
      DATABASE_URL: 'must be a postgres:// or postgresql:// URL',
      AMQP_URL: 'must be an amqp:// or amqps:// URL',
      RPC_TIMEOUT_MS: 'must be a positive whole number',
      REQUIRE_TLS: 'must be true or false',
      POOL_SIZE: 'must be a positive whole number',
    });
  });

  it('never repeats a value in its message, since the value may be a secret', () => {
    const secretUrl = 'mysql://admin:hunter2@db/overcast';
    try {
      parseConfig(schema, { DATABASE_URL: secretUrl });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as Error).message).toContain('DATABASE_URL');
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});

describe('loadConfigOrExit', () => {
  it('prints one line per invalid variable and exits with code 1', () => {
    let printed = '';
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    const load = () => loadConfigOrExit(schema, { env: { PORT: 'eighty' }, write: (text) => (printed += text), exit });
    expect(load).toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(printed.trimEnd().split('\n')).toEqual([
      'invalid configuration:',
      '  PORT: must be a port number from 0 to 65535',
      '  DATABASE_URL: is required but not set',
    ]);
  });

  it('returns the config when the environment is valid', () => {
    expect(loadConfigOrExit(schema, { env: validEnv }).PORT).toBe(8080);
  });
});
