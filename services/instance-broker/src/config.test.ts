import { randomBytes } from 'node:crypto';
import { parseBrokerConfig } from './config';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/overcast?schema=instance_broker',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
};

describe('broker configuration', () => {
  it('applies the documented defaults', () => {
    const config = parseBrokerConfig(base);
    expect(config).toMatchObject({
      PORT: 8080,
      DATABASE_SCHEMA: 'instance_broker',
      PROVIDERS: ['local'],
      REFRESH_INTERVAL_MS: 5000,
      REAPER_GRACE_PERIOD_MS: 600_000,
      INIT_SCRIPT_TTL_SECONDS: 86_400,
      SLACK_USERNAME: 'overcast',
      INSTANCE_QUOTA_PER_TENANT: 100,
    });
    expect(config.SLACK_WEBHOOK_URL).toBeUndefined();
  });

  it('names every missing variable without echoing any value', () => {
    expect(() => parseBrokerConfig({ AMQP_URL: 'http://nope' })).toThrow(
      /DATABASE_URL: is required but not set[\s\S]*AMQP_URL: must be an amqp:\/\/ or amqps:\/\/ URL[\s\S]*OVERCAST_ENCRYPTION_KEY/,
    );
  });

  it('refuses an enabled cloud without its sealed config, and plain JSON credentials', () => {
    expect(() => parseBrokerConfig({ ...base, PROVIDERS: 'local,aws' })).toThrow('AWS_PROVIDER_CONFIG: is required when PROVIDERS includes aws');
    expect(() => parseBrokerConfig({ ...base, PROVIDERS: 'gce', GCE_PROVIDER_CONFIG: '{"projectId":"p"}' })).toThrow('GCE_PROVIDER_CONFIG');
  });

  it('refuses an unknown provider and a default provider that is not enabled', () => {
    expect(() => parseBrokerConfig({ ...base, PROVIDERS: 'local,azure' })).toThrow('PROVIDERS');
    expect(() => parseBrokerConfig({ ...base, PROVIDERS: 'local', DEFAULT_PROVIDER: 'fake' })).toThrow('DEFAULT_PROVIDER: must be one of PROVIDERS');
  });
});
