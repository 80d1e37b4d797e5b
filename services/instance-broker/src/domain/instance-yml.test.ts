import { buildInstanceYml, InstanceYmlError, type MetaYml } from './instance-yml';
import { renderInitScript } from './init-script';
import type { InstanceBuildRecord } from './records';

// pudding's examples/simple/meta.yml (org only), as config.ts parses it.
const amqp = { host: 'hostname', port: 1234, username: 'username', password: 'password', vhost: 'vhost' };
const s3 = { access_key_id: 'access-key-id', secret_access_key: 'secret-access-key', bucket: 'bucket' };
const cache = { type: 's3', s3, fetch_timeout: 1200, push_timeout: 6600 };
const meta: MetaYml = {
  amqp: { org: { staging: amqp, prod: { ...amqp, tls: 'TLSv1' } } },
  build: { org: { staging: { api_token: 'api-token', url: 'build-api-url' } } },
  librato: { org: { email: 'email-address', token: 'token' } },
  cache: { org: { staging: cache } },
  papertrail: { org: 'logs.papertrailapp.com:12345' },
};

const build = {
  id: '5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01',
  tenantId: 't1',
  provider: 'aws',
  site: 'org',
  env: 'staging',
  role: 'worker',
  queue: 'docker',
  instanceType: 'c3.2xlarge',
  count: 4,
  image: null,
  slackChannel: null,
  subnetId: null,
  securityGroupId: null,
  bootInstance: true,
  state: 'pending',
  errorReason: null,
  gatewayUrl: 'https://overcast.example',
  initScript: null,
  secretSalt: null,
  secretHash: null,
  secretExpiresAt: null,
  userDataCiphertext: null,
  createdAt: new Date(),
  updatedAt: new Date(),
} satisfies InstanceBuildRecord;

// What pudding's BuildInstanceSpecificYML wrote for org/staging, queue docker, count 4 (its Go struct's key order).
const expectedYml = `env: linux
linux:
  host: $INSTANCE_HOST_NAME
  log_level: info
  queue: builds.docker
  amqp:
    host: hostname
    port: 1234
    username: username
    password: password
    vhost: vhost
  vms:
    provider: docker
    count: 4
  build:
    api_token: api-token
    url: build-api-url
  docker:
    private_key_path: /home/deploy/.ssh/docker_rsa
  paranoid: true
  skip_resolv_updates: true
  skip_etc_hosts_fix: true
  librato:
    email: email-address
    token: token
  language_mappings:
    clojure: jvm
    elixir: erlang
    groovy: jvm
    java: jvm
    scala: jvm
  cache_options:
    type: s3
    s3:
      access_key_id: access-key-id
      secret_access_key: secret-access-key
      bucket: bucket
    fetch_timeout: 1200
    push_timeout: 6600
  timeouts:
    hard_limit: 7200
papertrail_site: logs.papertrailapp.com:12345
`;

describe("pudding's instance yml and the template fields from operator config", () => {
  it("cuts the build's site and env out of the meta yml, with its queue and VM count", () => {
    expect(buildInstanceYml(meta, build)).toEqual({
      instanceYml: expectedYml,
      papertrailSite: 'logs.papertrailapp.com:12345',
    });
    const withProd = {
      ...meta,
      build: { org: { ...meta.build.org, prod: { api_token: 'prod-token', url: 'build-api-url' } } },
      cache: { org: { ...meta.cache.org, prod: cache } },
    };
    expect(buildInstanceYml(withProd, { ...build, env: 'prod' }).instanceYml).toContain('    tls: TLSv1\n');
  });

  it('names the sub-config a build lacks, as pudding did, with where it looked', () => {
    expect(() => buildInstanceYml(meta, { ...build, site: 'com' })).toThrow(
      new InstanceYmlError('missing "site" sub-config (amqp.com)'),
    );
    expect(() => buildInstanceYml(meta, { ...build, env: 'test' })).toThrow('missing "env" sub-config (amqp.org.test)');
    expect(() => buildInstanceYml(meta, { ...build, env: 'prod' }).instanceYml).toThrow(
      'missing "env" sub-config (build.org.prod)',
    );
    expect(() => buildInstanceYml(meta, { ...build, site: 'toString' })).toThrow('missing "site"');
  });

  // The lines of pudding's own first init script that wrote these values (workers/init_script.go).
  const template = [
    'cat > docker_rsa <<EOF',
    '{{.InstanceRSA}}',
    'EOF',
    'cat > travis-worker.yml <<EOF',
    '{{.InstanceYML}}EOF',
    '*.* @@{{.PapertrailSite}}',
  ].join('\n');

  it('renders a template writing InstanceRSA, InstanceYML and PapertrailSite, unchanged', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';
    const script = renderInitScript({ text: template, environment: {}, instanceRsa: key, metaYml: meta }, build, null);
    expect(script).toBe(
      `cat > docker_rsa <<EOF\n${key}\nEOF\ncat > travis-worker.yml <<EOF\n${expectedYml}EOF\n*.* @@logs.papertrailapp.com:12345`,
    );
  });

  it('cuts no yml for a template that does not read it, and refuses one that does without a meta yml', () => {
    const plain = { text: '{{ .Site }}', environment: {} };
    expect(renderInitScript(plain, { ...build, site: 'com' }, null)).toBe('com');
    expect(() => renderInitScript({ text: template, environment: {} }, build, null)).toThrow(InstanceYmlError);
  });
});
