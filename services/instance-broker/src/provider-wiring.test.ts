import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sealProviderConfig } from './admin/seal-provider-config';
import { parseBrokerConfig } from './config';
import { createProvidersFromConfig } from './provider-wiring';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('providers from configuration', () => {
  const key = randomBytes(32).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'broker-wiring-'));
  const base = {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/overcast',
    AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    OVERCAST_ENCRYPTION_KEY: key,
    LOCAL_DATA_DIR: dataDir,
  };

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('opens a sealed AWS config and registers every enabled provider', async () => {
    const sealed = await sealProviderConfig('aws', Readable.from([JSON.stringify({ region: 'eu-west-1' })]), key);
    expect(sealed).not.toContain('eu-west-1');
    const registry = createProvidersFromConfig(
      parseBrokerConfig({ ...base, PROVIDERS: 'aws,local,fake', AWS_PROVIDER_CONFIG: sealed }),
      logger,
    );
    try {
      expect(registry.names()).toEqual(['aws', 'fake', 'local']);
    } finally {
      await registry.close();
    }
  });

  it('refuses a config sealed with another key, or for another provider, naming the variable', async () => {
    const otherKey = await sealProviderConfig(
      'aws',
      Readable.from(['{"region":"x"}']),
      randomBytes(32).toString('hex'),
    );
    expect(() =>
      createProvidersFromConfig(
        parseBrokerConfig({ ...base, PROVIDERS: 'aws', AWS_PROVIDER_CONFIG: otherKey }),
        logger,
      ),
    ).toThrow('AWS_PROVIDER_CONFIG: cannot be opened with OVERCAST_ENCRYPTION_KEY');
    const gceSealed = await sealProviderConfig('gce', Readable.from(['{"projectId":"p"}']), key);
    expect(() =>
      createProvidersFromConfig(
        parseBrokerConfig({ ...base, PROVIDERS: 'aws', AWS_PROVIDER_CONFIG: gceSealed }),
        logger,
      ),
    ).toThrow('AWS_PROVIDER_CONFIG');
  });

  it('seals only JSON objects for a known provider', async () => {
    await expect(sealProviderConfig('azure', Readable.from(['{}']), key)).rejects.toThrow('usage');
    await expect(sealProviderConfig('aws', Readable.from(['not json']), key)).rejects.toThrow('stdin is not JSON');
    await expect(sealProviderConfig('aws', Readable.from(['[1]']), key)).rejects.toThrow('JSON object');
  });
});
