import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigError } from '@overcast/service-kit';
import { loadBrokerConfigOrExit, parseBrokerConfig, parseBrokerSettings } from './config';
import { defaultInitScriptTemplate } from './domain/init-script';

const key = randomBytes(32).toString('hex');
const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/overcast?schema=instance_broker',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  OVERCAST_ENCRYPTION_KEY: key,
};

function problemsOf(parse: () => unknown): Record<string, string> {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError)
      return Object.fromEntries(error.problems.map((problem) => [problem.variable, problem.problem]));
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('broker configuration', () => {
  it('transforms the environment into the service settings, with the documented defaults', () => {
    const config = parseBrokerConfig(base);
    expect(config).toMatchObject({
      PORT: 8080,
      DATABASE_SCHEMA: 'instance_broker',
      PROVIDERS: ['local'],
      SLACK_USERNAME: 'overcast',
    });
    expect(config.SLACK_WEBHOOK_URL).toBeUndefined();
    expect(config.settings).toEqual({
      secretsKey: key,
      defaultProvider: undefined,
      refreshIntervalMs: 5_000,
      reaperIntervalMs: 60_000,
      autoscalingSyncIntervalMs: 30_000,
      reaperGraceMs: 600_000,
      jobLeaseMs: undefined,
      idempotencyTtlMs: 24 * 60 * 60_000,
      inboxRetentionMs: 7 * 24 * 60 * 60_000,
      initScriptTtlMs: 86_400_000,
      initScriptTemplate: defaultInitScriptTemplate,
      // What the template's env and env_for read: the environment the broker was given.
      initScriptEnvironment: base,
      sshSecurityGroupName: 'overcast-ssh',
      retry: { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 60_000 },
      prefetch: 8,
      instanceQuotaPerTenant: 100,
      snsConfirmation: false,
    });
  });

  it('builds the same settings from the service variables alone, for callers without a process environment', () => {
    expect(parseBrokerSettings({ OVERCAST_ENCRYPTION_KEY: key })).toEqual({
      ...parseBrokerConfig(base).settings,
      initScriptEnvironment: { OVERCAST_ENCRYPTION_KEY: key },
    });
    const settings = parseBrokerSettings({
      OVERCAST_ENCRYPTION_KEY: key,
      DEFAULT_PROVIDER: 'fake',
      JOB_RETRY_BASE_DELAY_MS: '10',
      PERIODIC_JOB_LEASE_MS: '1500',
    });
    expect(settings).toMatchObject({
      defaultProvider: 'fake',
      retry: { maxAttempts: 8, baseDelayMs: 10, maxDelayMs: 60_000 },
      jobLeaseMs: 1500,
    });
  });

  it('names every missing variable without echoing any value', () => {
    expect(problemsOf(() => parseBrokerConfig({ AMQP_URL: 'http://nope' }))).toEqual({
      DATABASE_URL: 'is required but not set',
      AMQP_URL: 'must be an amqp:// or amqps:// URL',
      OVERCAST_ENCRYPTION_KEY: 'is required but not set',
    });
  });

  it('refuses an encryption key that is not 32 bytes, naming the variable but not the key', () => {
    const shortKey = randomBytes(16).toString('hex');
    expect(problemsOf(() => parseBrokerSettings({ OVERCAST_ENCRYPTION_KEY: shortKey }))).toEqual({
      OVERCAST_ENCRYPTION_KEY: 'must be 64 hex characters or base64 of 32 bytes',
    });
    expect(() => parseBrokerSettings({ OVERCAST_ENCRYPTION_KEY: shortKey })).not.toThrow(shortKey);
  });

  it('refuses an enabled cloud without its sealed config, and plain JSON credentials', () => {
    expect(problemsOf(() => parseBrokerConfig({ ...base, PROVIDERS: 'local,aws,gce' }))).toEqual({
      AWS_PROVIDER_CONFIG: 'is required when PROVIDERS includes aws',
      GCE_PROVIDER_CONFIG: 'is required when PROVIDERS includes gce',
    });
    expect(
      problemsOf(() => parseBrokerConfig({ ...base, PROVIDERS: 'gce', GCE_PROVIDER_CONFIG: '{"projectId":"p"}' })),
    ).toEqual({
      GCE_PROVIDER_CONFIG: 'must be a sealed config (run the seal-provider-config script)',
    });
  });

  it('refuses an unknown provider and a default provider that is not enabled', () => {
    expect(problemsOf(() => parseBrokerConfig({ ...base, PROVIDERS: 'local,azure' }))).toHaveProperty('PROVIDERS');
    expect(problemsOf(() => parseBrokerConfig({ ...base, PROVIDERS: 'local', DEFAULT_PROVIDER: 'fake' }))).toEqual({
      DEFAULT_PROVIDER: 'must be one of PROVIDERS',
    });
    expect(problemsOf(() => parseBrokerSettings({ OVERCAST_ENCRYPTION_KEY: key, DEFAULT_PROVIDER: 'azure' }))).toEqual({
      DEFAULT_PROVIDER: 'must be one of aws, gce, local, fake',
    });
  });

  it('reads the init-script template file inside the schema, naming the variable when it is wrong', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'broker-config-'));
    const file = path.join(directory, 'init.sh');
    writeFileSync(file, '#!/bin/sh\necho {{nope}}\n');
    expect(
      problemsOf(() => parseBrokerSettings({ OVERCAST_ENCRYPTION_KEY: key, INIT_SCRIPT_TEMPLATE_FILE: file })),
    ).toHaveProperty('INIT_SCRIPT_TEMPLATE_FILE', expect.stringContaining('function "nope" not defined'));
  });

  it("takes pudding's compressed INSTANCE_RSA and INSTANCE_YML (or their PUDDING_ names) for the template's fields", () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'broker-config-'));
    const file = path.join(directory, 'init.sh');
    writeFileSync(file, '{{ .InstanceRSA }}\n{{ .InstanceYML }}{{ .PapertrailSite }}\n');
    const compressed = (text: string) => gzipSync(text).toString('base64');
    const meta = 'amqp:\n  org:\n    prod: { host: mq, port: 5671 }\npapertrail:\n  org: logs:1\nextra: ignored\n';
    const settings = parseBrokerSettings({
      OVERCAST_ENCRYPTION_KEY: key,
      INIT_SCRIPT_TEMPLATE_FILE: file,
      PUDDING_INSTANCE_RSA: compressed('-----BEGIN RSA PRIVATE KEY-----'),
      INSTANCE_YML: compressed(meta),
    });
    expect(settings.initScriptInstanceRsa).toBe('-----BEGIN RSA PRIVATE KEY-----');
    expect(settings.initScriptMetaYml).toEqual({
      amqp: { org: { prod: { host: 'mq', port: 5671, username: '', password: '', vhost: '' } } },
      build: {},
      librato: {},
      cache: {},
      papertrail: { org: 'logs:1' },
    });

    // A template writing them needs them at start; a value that is not pudding's compression is named, not echoed.
    expect(
      problemsOf(() => parseBrokerSettings({ OVERCAST_ENCRYPTION_KEY: key, INIT_SCRIPT_TEMPLATE_FILE: file })),
    ).toEqual({
      INSTANCE_RSA: 'is required: the init-script template writes {{ .InstanceRSA }} (or set PUDDING_INSTANCE_RSA)',
      INSTANCE_YML: 'is required: the init-script template writes {{ .InstanceYML }} (or set PUDDING_INSTANCE_YML)',
    });
    const problems = problemsOf(() =>
      parseBrokerSettings({
        OVERCAST_ENCRYPTION_KEY: key,
        INSTANCE_RSA: 'plain-secret-key',
        INSTANCE_YML: compressed('amqp: [1, 2]'),
      }),
    );
    expect(problems).toEqual({
      INSTANCE_RSA: 'must be gzip, then base64, as pudding kept it',
      'INSTANCE_YML.amqp': 'Invalid input: expected record, received array',
    });
    expect(JSON.stringify(problems)).not.toContain('plain-secret-key');
  });

  it('prints the cross-variable problems with the others and exits 1 when main.ts loads it', () => {
    let printed = '';
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    const load = () =>
      loadBrokerConfigOrExit({ env: { ...base, PROVIDERS: 'aws' }, write: (text) => (printed += text), exit });
    expect(load).toThrow('exit 1');
    expect(printed.trimEnd().split('\n')).toEqual([
      'invalid configuration:',
      '  AWS_PROVIDER_CONFIG: is required when PROVIDERS includes aws',
    ]);
  });
});
