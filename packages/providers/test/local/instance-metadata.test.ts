import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@overcast/test-kit';
import type { LocalComputeProvider } from '../../src';
import { createLocalComputeProvider } from '../../src';

/**
 * A script written for EC2 asks 169.254.169.254 with plain curl; on an image with instanceMetadata the instance's
 * http_proxy takes it to the provider's metadata service, which answers for that instance alone.
 */
const ec2Script = `#!/bin/bash
set -o errexit
for item in instance-id local-ipv4 public-ipv4 ami-id instance-type placement/availability-zone; do
  echo "$item=$(curl -sf "http://169.254.169.254/latest/meta-data/$item")"
done
echo "listing=$(curl -sf http://169.254.169.254/latest/meta-data/ | tr '\\n' ' ')"
echo "user-data-lines=$(curl -sf http://169.254.169.254/latest/user-data | wc -l)"
echo "missing=$(curl -s -o /dev/null -w '%{http_code}' http://169.254.169.254/latest/meta-data/nope)"
echo "imdsv2=$(curl -sf -X PUT -H 'x-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token | wc -c)"
# Another plain-HTTP host through the same proxy is forwarded, without the instance's proxy credentials.
echo "forwarded=$(curl -sf --noproxy '' "http://127.0.0.1:$UPSTREAM_PORT/through")"
# Without the instance's credentials the service answers nobody.
echo "stranger=$(curl -s -o /dev/null -w '%{http_code}' -x "http://127.0.0.1:\${http_proxy##*:}" http://169.254.169.254/latest/meta-data/instance-id)"
`;

describe('local provider: EC2 instance metadata for images that ask for it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'overcast-local-metadata-'));
  const addressPrefix = `127.${160 + Math.floor(Math.random() * 30)}`;
  let provider: LocalComputeProvider;
  let upstream: Server;
  const seenByUpstream: { url: string; proxyAuthorization: string | undefined }[] = [];

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      seenByUpstream.push({ url: request.url ?? '', proxyAuthorization: request.headers['proxy-authorization'] });
      response.end('upstream answered');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as { port: number }).port;
    provider = createLocalComputeProvider({
      dataDir,
      addressPrefix,
      terminationGraceMs: 1_000,
      images: {
        'ec2-like': { roles: ['worker'], instanceMetadata: true, env: { UPSTREAM_PORT: String(port) } },
        plain: { roles: ['web'] },
      },
    });
  });

  afterAll(async () => {
    for (const instance of await provider.listInstances()) await provider.terminateInstance(instance.id);
    await waitFor('every local instance to stop', async () =>
      (await provider.listInstances()).every((instance) => instance.state === 'terminated'),
    );
    await provider.close();
    await new Promise((resolve) => upstream.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const consoleOf = (id: string) =>
    waitFor(`instance ${id} to finish its script`, async () => {
      const text = await provider.readConsole(id);
      return text?.includes('user-data finished') ? text : undefined;
    });

  it("answers an EC2 script's metadata requests for the asking instance, and forwards its other HTTP", async () => {
    const id = '0d654ef4-9a1b-4c2d-8e3f-5a6b7c8d9e0f';
    await provider.createInstance({ id, image: 'ec2-like', instanceType: 'c3.2xlarge', userData: ec2Script, tags: {} });
    const other = 'a1b2c3d4-0000-4000-8000-000000000000';
    await provider.createInstance({
      id: other,
      image: 'ec2-like',
      instanceType: 'standard',
      userData: ec2Script,
      tags: {},
    });

    const output = await consoleOf(id);
    expect(output).toContain('instance-id=i-0d654ef4\n');
    expect(output).toContain(`local-ipv4=${addressPrefix}.0.1\n`);
    expect(output).toContain(`public-ipv4=${addressPrefix}.0.1\n`);
    expect(output).toContain('ami-id=ec2-like\n');
    expect(output).toContain('instance-type=c3.2xlarge\n');
    expect(output).toContain('placement/availability-zone=local\n');
    expect(output).toContain('listing=ami-id hostname instance-id instance-type local-hostname local-ipv4 placement/');
    expect(output).toContain(`user-data-lines=${ec2Script.split('\n').length - 1}\n`);
    expect(output).toContain('missing=404\n');
    expect(output).toMatch(/imdsv2=3\d\n/);
    expect(output).toContain('forwarded=upstream answered\n');
    expect(output).toContain('stranger=407\n');
    expect(output).toContain('finished with exit code 0');
    // The other instance is told its own id and address, never the first one's.
    const second = await consoleOf(other);
    expect(second).toContain('instance-id=i-a1b2c3d4\n');
    expect(second).toContain(`local-ipv4=${addressPrefix}.0.2\n`);
    expect(seenByUpstream).toEqual([
      { url: '/through', proxyAuthorization: undefined },
      { url: '/through', proxyAuthorization: undefined },
    ]);
  });

  it('answers an instance started before a restart of the provider, on the port it was given', async () => {
    const id = 'b0b0cafe-0000-4000-8000-000000000000';
    await provider.createInstance({
      id,
      image: 'ec2-like',
      instanceType: 'standard',
      userData:
        '#!/bin/bash\nuntil [ -f "$HOME/go" ]; do sleep 0.05; done\necho "after-restart=$(curl -sf http://169.254.169.254/latest/meta-data/instance-id)"\n',
      tags: {},
    });
    await waitFor('the instance to run', async () => (await provider.getInstance(id))?.state === 'running');
    await provider.close();
    provider = createLocalComputeProvider({
      dataDir,
      addressPrefix,
      terminationGraceMs: 1_000,
      images: { 'ec2-like': { roles: ['worker'], instanceMetadata: true }, plain: { roles: ['web'] } },
    });
    writeFileSync(join(dataDir, 'instances', id, 'home', 'go'), '');
    expect(await consoleOf(id)).toContain('after-restart=i-b0b0cafe\n');
  });

  it('gives no proxy to the instances of images that do not ask for metadata, nor answers them', async () => {
    const id = 'plain-instance';
    await provider.createInstance({
      id,
      image: 'plain',
      instanceType: 'standard',
      userData: '#!/bin/sh\necho "proxy=${http_proxy:-none}"\n',
      tags: {},
    });
    expect(await consoleOf(id)).toContain('proxy=none\n');
  });
});
