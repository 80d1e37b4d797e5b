import { gzipSync } from 'node:zlib';
import {
  checkInitScriptTemplate,
  renderInitScript,
  shellQuote,
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
  slackChannel: 'ops',
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
    const script = renderInitScript({ text: defaultInitScriptTemplate, environment: {} }, build, 'ami-00aabbcc');
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

  it("refuses what pudding's language does not have, naming the line: unknown fields and functions, control actions", () => {
    expect(() => checkInitScriptTemplate('echo\n{{ .Secret }}')).toThrow('line 2: the context has no field "Secret"');
    expect(() => checkInitScriptTemplate('{{ site }}')).toThrow('line 1: function "site" not defined');
    expect(() => checkInitScriptTemplate('{{ if .Site }}x{{ end }}')).toThrow('"if" is not supported');
    expect(() => checkInitScriptTemplate('{{ .Site ')).toThrow('unclosed action');
  });

  // An operator's template in pudding's language: env_for by the build's site and env piped to uncompress, the
  // callback URLs, a comment and trim markers.
  const operatorTemplate = [
    'install -m 600 /dev/stdin deploy_key <<KEY',
    '{{ env_for `DEPLOY_KEY` `site` `env` | uncompress }}',
    'KEY',
    'on_boot() { curl -sf -X POST "{{ .InstanceLaunchURL }}?channel={{ .SlackChannel }}"; }',
    'on_halt() { curl -sf -X POST "{{ .InstanceTerminateURL }}?channel={{ .SlackChannel }}"; }',
    'beat() { curl -sf -d instance-id="$1" "{{ .InstanceHeartbeatURL }}"; }',
    '{{/* how many jobs this worker runs */}}jobs={{ .Count }} {{- " trimmed" }}',
  ].join('\n');

  it("renders an operator's pudding template: env_for the build's site and env, uncompress, callback URLs with the secret", () => {
    const environment = { DEPLOY_KEY_ORG_STAGING: gzipSync('-----BEGIN OPENSSH PRIVATE KEY-----').toString('base64') };
    const template = { text: operatorTemplate, environment };
    const script = renderInitScript(template, build, 'ami-1', 's3cret');
    expect(script.split('\n')).toEqual([
      'install -m 600 /dev/stdin deploy_key <<KEY',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'KEY',
      `on_boot() { curl -sf -X POST "https://x:s3cret@overcast.example/api/instance-launches/${build.id}?channel=ops"; }`,
      `on_halt() { curl -sf -X POST "https://x:s3cret@overcast.example/api/instance-terminations/${build.id}?channel=ops"; }`,
      `beat() { curl -sf -d instance-id="$1" "https://x:s3cret@overcast.example/api/instance-heartbeats/${build.id}"; }`,
      'jobs=2 trimmed',
    ]);
    expect(renderInitScript(template, build, 'ami-1')).toContain(
      `"https://overcast.example/api/instance-launches/${build.id}?`,
    );
  });

  it('includes the init script URL with the build credentials in the user data', () => {
    expect(userDataFor(build, 'abc123')).toBe(
      '#include https://x:abc123@overcast.example/api/init-scripts/5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01\n',
    );
  });
});
