import { gunzipSync } from 'node:zlib';
import { buildInstanceYml, InstanceYmlError, type MetaYml } from './instance-yml';
import type { InstanceBuildRecord } from './records';
import { parseGoTemplate, TemplateError, type TemplateFunction, type TemplateValue } from './template/go-template';

/**
 * The init script is rendered from the operator's template in pudding's template language (go-template.ts), with
 * pudding's context (`{{ .InstanceLaunchURL }}`, `{{ .SlackChannel }}`, `{{ .Count }}`…) and functions (`env`,
 * `env_for`, `uncompress`), so a template written for pudding renders unchanged. `InstanceRSA`, `InstanceYML` and
 * `PapertrailSite` come from the operator's configuration, as in pudding (INSTANCE_RSA and INSTANCE_YML, config.ts).
 * Fields are written as they are, as pudding wrote them; `shell_quote` makes one single-quoted shell word of a value
 * (the default template quotes every field it writes). API callers never supply a template.
 */
export const initScriptFields = [
  'Env',
  'Site',
  'Queue',
  'Role',
  'AMI',
  'Count',
  'InstanceType',
  'InstanceRSA',
  'SlackChannel',
  'PapertrailSite',
  'InstanceYML',
  'Provider',
  'InstanceBuildID',
  'InstanceBuildURL',
  'InstanceLaunchURL',
  'InstanceTerminateURL',
  'InstanceHeartbeatURL',
  'InitScriptURL',
] as const;
type InitScriptField = (typeof initScriptFields)[number];

export const initScriptFunctions = ['env', 'env_for', 'uncompress', 'shell_quote'] as const;

export const defaultInitScriptTemplate = `#!/usr/bin/env bash
# Init script of Overcast instance build {{ .InstanceBuildID }}, rendered by the instance broker.
set -o errexit
export OVERCAST_INSTANCE_BUILD_ID={{ .InstanceBuildID | shell_quote }}
export OVERCAST_PROVIDER={{ .Provider | shell_quote }}
export OVERCAST_SITE={{ .Site | shell_quote }}
export OVERCAST_ENV={{ .Env | shell_quote }}
export OVERCAST_ROLE={{ .Role | shell_quote }}
export OVERCAST_QUEUE={{ .Queue | shell_quote }}
export OVERCAST_INSTANCE_TYPE={{ .InstanceType | shell_quote }}
export OVERCAST_INSTANCE_COUNT={{ .Count | shell_quote }}
export OVERCAST_IMAGE={{ .AMI | shell_quote }}
export OVERCAST_INSTANCE_BUILD_URL={{ .InstanceBuildURL | shell_quote }}
echo "booting \${OVERCAST_ROLE} for \${OVERCAST_SITE}/\${OVERCAST_ENV}/\${OVERCAST_QUEUE}"
`;

/** One shell word, whatever the value holds: `'` is the only character that needs care inside '…'. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** pudding's `uncompress`: base64, then gunzip (a secret kept compressed in the environment); '' when it is not. */
function uncompress(encoded: string): string {
  try {
    return gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8');
  } catch {
    return '';
  }
}

/** What `env` and `env_for` read: the broker's environment, as config.ts captured it. */
export type TemplateEnvironment = Readonly<Record<string, string>>;

/**
 * The operator's template, the environment its functions read, and what pudding took from its own configuration:
 * the instance key (`InstanceRSA`) and the meta yml that `InstanceYML` and `PapertrailSite` are cut from per build.
 */
export interface InitScriptTemplate {
  text: string;
  environment: TemplateEnvironment;
  instanceRsa?: string;
  metaYml?: MetaYml;
}

/** pudding's `env_for KEY site env…`: the variable KEY_<SITE>_<ENV>… for this build's values (empty ones skipped). */
function envFor(build: InstanceBuildRecord, environment: TemplateEnvironment): TemplateFunction {
  const values: Record<string, string> = { site: build.site, env: build.env, queue: build.queue, role: build.role };
  return (key, ...filters) => {
    const name = filters.reduce((joined, filter) => {
      const value = values[filter] ?? '';
      return value === '' ? joined : `${joined}_${value.toUpperCase()}`;
    }, key);
    return environment[name] ?? '';
  };
}

/**
 * Parses the template against the context and functions, answering the fields it reads; throws TemplateError naming
 * what is wrong and where.
 */
export function checkInitScriptTemplate(template: string): ReadonlySet<string> {
  return parseGoTemplate(template, { fields: initScriptFields, functions: initScriptFunctions }).fields;
}

export { InstanceYmlError, TemplateError };

/** pudding's per-build YAML and papertrail site, cut only when the template reads one of them. */
function instanceYmlFor(template: InitScriptTemplate, build: InstanceBuildRecord, fields: ReadonlySet<string>) {
  if (!fields.has('InstanceYML') && !fields.has('PapertrailSite')) return { instanceYml: '', papertrailSite: '' };
  if (!template.metaYml)
    throw new InstanceYmlError('the template reads InstanceYML or PapertrailSite: set INSTANCE_YML');
  return buildInstanceYml(template.metaYml, build);
}

function gatewayUrlFor(gatewayUrl: string, path: string, secret: string | null): string {
  const url = new URL(path, gatewayUrl.endsWith('/') ? gatewayUrl : `${gatewayUrl}/`);
  if (secret !== null) {
    url.username = 'x';
    url.password = secret;
  }
  return url.toString();
}

export function initScriptUrl(gatewayUrl: string, buildId: string, secret: string | null = null): string {
  return gatewayUrlFor(gatewayUrl, `init-scripts/${encodeURIComponent(buildId)}`, secret);
}

/**
 * The script for a build. With the build's secret (rendered when a booting instance fetches it) its URLs carry
 * pudding's `x:<secret>` credentials, which the callbacks need; without (the stored copy a person reads with a
 * token) they carry none, so no secret is ever kept in clear.
 */
export function renderInitScript(
  template: InitScriptTemplate,
  build: InstanceBuildRecord,
  image: string | null,
  secret: string | null = null,
): string {
  const id = encodeURIComponent(build.id);
  const parsed = parseGoTemplate(template.text, { fields: initScriptFields, functions: initScriptFunctions });
  const { instanceYml, papertrailSite } = instanceYmlFor(template, build, parsed.fields);
  const context: Record<InitScriptField, TemplateValue> = {
    Env: build.env,
    Site: build.site,
    Queue: build.queue,
    Role: build.role,
    AMI: image ?? '',
    Count: build.count,
    InstanceType: build.instanceType,
    InstanceRSA: template.instanceRsa ?? '',
    SlackChannel: build.slackChannel ?? '',
    PapertrailSite: papertrailSite,
    InstanceYML: instanceYml,
    Provider: build.provider,
    InstanceBuildID: build.id,
    InstanceBuildURL: gatewayUrlFor(build.gatewayUrl, `instance-builds/${id}`, secret),
    InstanceLaunchURL: gatewayUrlFor(build.gatewayUrl, `instance-launches/${id}`, secret),
    InstanceTerminateURL: gatewayUrlFor(build.gatewayUrl, `instance-terminations/${id}`, secret),
    InstanceHeartbeatURL: gatewayUrlFor(build.gatewayUrl, `instance-heartbeats/${id}`, secret),
    InitScriptURL: initScriptUrl(build.gatewayUrl, build.id, secret),
  };
  const functions: Record<(typeof initScriptFunctions)[number], TemplateFunction> = {
    env: (name = '') => template.environment[name] ?? '',
    env_for: envFor(build, template.environment),
    uncompress,
    shell_quote: shellQuote,
  };
  return parsed.render(context, functions);
}

/** cloud-init user data: fetch the script from the gateway with the build's own Basic credentials. */
export function userDataFor(build: InstanceBuildRecord, secret: string): string {
  return `#include ${initScriptUrl(build.gatewayUrl, build.id, secret)}\n`;
}
