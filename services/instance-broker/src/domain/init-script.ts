import type { InstanceBuildRecord } from './records';

/**
 * The init script is rendered from a fixed set of the build's fields, each substituted as a single-quoted
 * shell word. Callers cannot supply a template (pudding executed Go templates with env lookups); the
 * operator may replace the default template, but only with these `{{placeholders}}`.
 */
export const initScriptPlaceholders = [
  'instance_build_id',
  'provider',
  'site',
  'env',
  'role',
  'queue',
  'instance_type',
  'count',
  'image',
  'slack_channel',
  'instance_build_url',
  'init_script_url',
] as const;
export type InitScriptPlaceholder = (typeof initScriptPlaceholders)[number];

export const defaultInitScriptTemplate = `#!/usr/bin/env bash
# Init script of Overcast instance build {{instance_build_id}}, rendered by the instance broker.
set -o errexit
export OVERCAST_INSTANCE_BUILD_ID={{instance_build_id}}
export OVERCAST_PROVIDER={{provider}}
export OVERCAST_SITE={{site}}
export OVERCAST_ENV={{env}}
export OVERCAST_ROLE={{role}}
export OVERCAST_QUEUE={{queue}}
export OVERCAST_INSTANCE_TYPE={{instance_type}}
export OVERCAST_INSTANCE_COUNT={{count}}
export OVERCAST_IMAGE={{image}}
export OVERCAST_INSTANCE_BUILD_URL={{instance_build_url}}
echo "booting \${OVERCAST_ROLE} for \${OVERCAST_SITE}/\${OVERCAST_ENV}/\${OVERCAST_QUEUE}"
`;

const placeholderPattern = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Placeholders a template uses that do not exist; checked when the operator's template is loaded. */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(initScriptPlaceholders);
  return [...template.matchAll(placeholderPattern)].map((match) => match[1] ?? '').filter((name) => !known.has(name));
}

/** One shell word, whatever the value holds: `'` is the only character that needs care inside '…'. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function initScriptUrl(gatewayUrl: string, buildId: string): URL {
  return new URL(
    `init-scripts/${encodeURIComponent(buildId)}`,
    gatewayUrl.endsWith('/') ? gatewayUrl : `${gatewayUrl}/`,
  );
}

export function instanceBuildUrl(gatewayUrl: string, buildId: string): URL {
  return new URL(
    `instance-builds/${encodeURIComponent(buildId)}`,
    gatewayUrl.endsWith('/') ? gatewayUrl : `${gatewayUrl}/`,
  );
}

export function renderInitScript(template: string, build: InstanceBuildRecord, image: string | null): string {
  const values: Record<InitScriptPlaceholder, string> = {
    instance_build_id: build.id,
    provider: build.provider,
    site: build.site,
    env: build.env,
    role: build.role,
    queue: build.queue,
    instance_type: build.instanceType,
    count: String(build.count),
    image: image ?? '',
    slack_channel: build.slackChannel ?? '',
    instance_build_url: instanceBuildUrl(build.gatewayUrl, build.id).toString(),
    init_script_url: initScriptUrl(build.gatewayUrl, build.id).toString(),
  };
  return template.replace(placeholderPattern, (whole, name: string) =>
    name in values ? shellQuote(values[name as InitScriptPlaceholder]) : whole,
  );
}

/** cloud-init user data: fetch the script from the gateway with the build's own Basic credentials. */
export function userDataFor(build: InstanceBuildRecord, secret: string): string {
  const url = initScriptUrl(build.gatewayUrl, build.id);
  url.username = 'x';
  url.password = secret;
  return `#include ${url.toString()}\n`;
}
