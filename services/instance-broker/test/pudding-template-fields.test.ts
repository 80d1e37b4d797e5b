import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  createInstanceBuildRpc,
  getInitScriptRpc,
  getInstanceBuildRpc,
  type CreateInstanceBuildRequest,
  type InstanceBuild,
} from '@overcast/contracts';
import { createProviderRegistry } from '@overcast/providers';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

// An operator's pudding template that writes the values pudding took from its own configuration: the instance key
// (INSTANCE_RSA), the worker YAML cut from the meta yml by the build's site and env, and the site's papertrail host.
const template = [
  '#!/bin/bash',
  'cat > docker_rsa <<EOF',
  '{{ .InstanceRSA }}',
  'EOF',
  'cat > travis-worker.yml <<EOF',
  '{{ .InstanceYML }}EOF',
  'echo "*.* @@{{ .PapertrailSite }}" > papertrail.conf',
  '',
].join('\n');

const metaYml = `
amqp:
  org:
    staging: { host: mq.example, port: 5671, username: worker, password: amqp-secret, vhost: org, tls: TLSv1 }
build:
  org:
    staging: { api_token: build-token, url: https://build.example }
librato:
  org: { email: ops@example.com, token: librato-token }
cache:
  org:
    staging: { type: s3, s3: { access_key_id: AKIA, secret_access_key: s3-secret, bucket: cache }, fetch_timeout: 1200, push_timeout: 6600 }
papertrail:
  org: logs.papertrailapp.com:12345
`;
const instanceKey = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAoperator\n-----END RSA PRIVATE KEY-----';
const compressed = (text: string) => gzipSync(text).toString('base64');

describeWithPostgres("pudding's InstanceRSA, InstanceYML and PapertrailSite from operator config", () => {
  const directory = mkdtempSync(join(tmpdir(), 'broker-pudding-template-'));
  let environment: BrokerEnvironment;
  const fake = new ObservedProvider();

  beforeAll(async () => {
    const file = join(directory, 'init-script.tmpl.bash');
    writeFileSync(file, template);
    environment = await createBrokerEnvironment();
    await environment.startReplica({
      providers: createProviderRegistry([fake]),
      config: {
        INIT_SCRIPT_TEMPLATE_FILE: file,
        INSTANCE_RSA: compressed(instanceKey),
        INSTANCE_YML: compressed(metaYml),
      },
    });
  });

  afterAll(async () => {
    await environment?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const request: CreateInstanceBuildRequest = {
    tenantId: 't1',
    site: 'org',
    env: 'staging',
    role: 'worker',
    queue: 'docker',
    instanceType: 'standard',
    count: 3,
    image: 'standard-image',
    bootInstance: true,
    gatewayUrl: 'https://overcast.example',
  };

  async function settled(build: InstanceBuild): Promise<InstanceBuild> {
    return waitFor('the build to leave pending', async () => {
      const current = await environment.client.call(getInstanceBuildRpc, { tenantId: 't1', id: build.id });
      return current.state !== 'pending' && current;
    });
  }

  it("renders each into the script the build's instance fetches", async () => {
    const build = await settled(await environment.client.call(createInstanceBuildRpc, request));
    expect(build.state).toBe('started');
    // The build starts before its instance's provision job reaches the provider.
    const userData = await waitFor(
      "the build's instance at the provider",
      () => fake.createInputs.find((input) => input.tags?.['instance-build-id'] === build.id)?.userData,
    );
    const secret = /^#include https:\/\/x:([0-9a-f]+)@/.exec(userData ?? '')?.[1] ?? 'no secret';
    const { script } = await environment.client.call(getInitScriptRpc, { buildId: build.id, secret });

    expect(script).toContain(`cat > docker_rsa <<EOF\n${instanceKey}\nEOF\n`);
    expect(script).toContain('echo "*.* @@logs.papertrailapp.com:12345" > papertrail.conf\n');
    const yml = /cat > travis-worker\.yml <<EOF\n([\s\S]*)EOF\n/.exec(script)?.[1] ?? '';
    expect(yml.split('\n')).toEqual(
      expect.arrayContaining([
        'env: linux',
        '  queue: builds.docker',
        '    host: mq.example',
        '    tls: TLSv1',
        '    count: 3',
        '    url: https://build.example',
        '    token: librato-token',
        '      bucket: cache',
        'papertrail_site: logs.papertrailapp.com:12345',
      ]),
    );
  });

  it('fails a build whose site the meta yml lacks, naming what is missing, without retrying it', async () => {
    const build = await settled(await environment.client.call(createInstanceBuildRpc, { ...request, site: 'com' }));
    expect(build).toMatchObject({ state: 'errored', errorReason: 'missing "site" sub-config (amqp.com)' });
    expect(build.instanceIds).toEqual([]);
  });
});
