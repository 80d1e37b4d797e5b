import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDeploymentConfigParser, createIncludeLoader } from '../src';

/** What a valid file becomes: defaults applied, forms normalised, includes merged with the including file on top. */
const parser = createDeploymentConfigParser();
const loadInclude = createIncludeLoader({ files: { maxBytes: 1024 * 1024 } });

async function parseValid(name: string) {
  const file = path.join(__dirname, 'corpus', 'valid', name);
  const result = await parser.parse(readFileSync(file, 'utf8'), { source: file, loadInclude });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

afterAll(() => parser.close());

test('proto defaults by port, global to false, events to all seven; env and depends-on forms normalised', async () => {
  const config = await parseValid('every-field.yml');
  const { api, db, web, worker } = config.services;
  expect(db?.expose).toEqual([
    {
      port: 5432,
      proto: 'tcp',
      to: [
        { service: 'api', global: false },
        { service: 'worker', global: true },
      ],
    },
  ]);
  expect(api?.expose.map(({ port, proto }) => [port, proto])).toEqual([
    [8080, 'http'],
    [443, 'https'],
  ]);
  expect(web?.expose[0]?.proto).toBe('http');
  expect(api?.args).toEqual(['--port', '8080', '--log', 'json']);
  expect(api?.env).toEqual({ DATABASE_URL: 'postgres://db:5432/app', EMPTY: '' });
  expect(db?.env).toEqual({ POSTGRES_DB: 'app', POSTGRES_MAX_CONNECTIONS: '200', POSTGRES_SSL: 'true' });
  expect(api?.dependsOn).toEqual(['db']);
  expect(worker?.dependsOn).toEqual(['db', 'api']);
  expect(config.deployment.datacenters.westcoast?.profiles.db).toEqual({
    qos: { lifetime: 'long', memoryBytes: 16 * 2 ** 30, cpu: 4 },
    pricing: { maxPrice: 10, collateral: '30d' },
  });
  expect(config.deployment.datacenters.eu?.profiles.web?.qos.memoryBytes).toBe(2048 * 2 ** 20);
  expect(config.notifications[1]).toMatchObject({ name: 'team', type: 'email', email: 'team@example.com' });
  expect(config.notifications[1]?.events).toHaveLength(7);
});

test('includes merge under the including file: its values win, the rest comes from the includes, nested ones too', async () => {
  const config = await parseValid('with-includes.yml');
  expect(Object.keys(config.services).sort()).toEqual(['api', 'queue', 'web']);
  // image from the including file, depends-on and expose from includes/shared-services.yml
  expect(config.services.api).toMatchObject({ image: 'example/api:5', dependsOn: ['queue'] });
  expect(config.services.api?.expose[0]).toMatchObject({ port: 8080, proto: 'tcp', to: [{ service: 'web' }] });
  // from includes/queue.yml, which includes/shared-services.yml includes
  expect(config.services.queue?.image).toBe('rabbitmq:3.13');
  expect(Object.keys(config.deployment.datacenters)).toEqual(['westcoast', 'eastcoast']);
  expect(config.deployment.services.queue).toEqual({ eastcoast: { profile: 'web', nodes: 1 } });
});

test('anchors, aliases and merge keys are expanded', async () => {
  const config = await parseValid('anchors-and-merge-keys.yml');
  expect(config.services['api-canary']).toMatchObject({ image: 'example/api:3-rc1', env: { LOG_FORMAT: 'json' } });
  expect(config.deployment.datacenters.eastcoast?.profiles.web).toEqual(
    config.deployment.datacenters.westcoast?.profiles.web,
  );
  expect(config.deployment.services.api?.eastcoast).toEqual({ profile: 'web', nodes: 2 });
});

test('a file with includes and no loader is refused at its include, not read', async () => {
  const file = path.join(__dirname, 'corpus', 'valid', 'with-includes.yml');
  const result = await parser.parse(readFileSync(file, 'utf8'), { source: file });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors.filter(({ path: at }) => at.startsWith('include'))).toEqual([
    expect.objectContaining({ path: 'include[0]', line: 6, message: expect.stringMatching(/not enabled/) }),
    expect.objectContaining({ path: 'include[1]', line: 7, message: expect.stringMatching(/not enabled/) }),
  ]);
});
