import {
  renderInitScript,
  shellQuote,
  unknownPlaceholders,
  userDataFor,
  defaultInitScriptTemplate,
} from './init-script';
import type { InstanceBuildRecord } from './records';

const build = {
  id: '5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01',
  tenantId: 't1',
  provider: 'aws',
  site: 'org',
  env: 'staging',
  role: 'worker',
  queue: "docker'; rm -rf / #",
  instanceType: 'standard',
  count: 2,
  image: null,
  slackChannel: null,
  subnetId: null,
  securityGroupId: null,
  bootInstance: true,
  state: 'pending',
  errorReason: null,
  gatewayUrl: 'https://overcast.example/api',
  initScript: null,
  secretSalt: null,
  secretHash: null,
  secretExpiresAt: null,
  userDataCiphertext: null,
  createdAt: new Date(),
  updatedAt: new Date(),
} satisfies InstanceBuildRecord;

describe('init script', () => {
  it('substitutes every field as one single-quoted shell word', () => {
    const script = renderInitScript(defaultInitScriptTemplate, build, 'ami-00aabbcc');
    expect(script).toContain("export OVERCAST_QUEUE='docker'\\''; rm -rf / #'");
    expect(script).toContain("export OVERCAST_IMAGE='ami-00aabbcc'");
    expect(script).toContain(
      "export OVERCAST_INSTANCE_BUILD_URL='https://overcast.example/api/instance-builds/5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01'",
    );
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
  });

  it('quotes a value so the shell reads it back unchanged', () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });

  it('names the placeholders an operator template uses that do not exist', () => {
    expect(unknownPlaceholders('echo {{ site }} {{secret}} {{env}} {{os_env}}')).toEqual(['secret', 'os_env']);
  });

  it('includes the init script URL with the build credentials in the user data', () => {
    expect(userDataFor(build, 'abc123')).toBe(
      '#include https://x:abc123@overcast.example/api/init-scripts/5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01\n',
    );
  });
});
