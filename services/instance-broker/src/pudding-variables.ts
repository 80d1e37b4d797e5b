import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * pudding kept its instance key and its meta yml in "compressed" environment variables (gzip, then base64: its
 * bin/set-compressed-env-var), so an operator's existing values are taken as they are.
 */
const compressedVariable = z.string().transform((value, context) => {
  try {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.toString('base64').replace(/=+$/, '') !== value.trim().replace(/=+$/, '')) throw new Error('base64');
    return gunzipSync(decoded).toString('utf8');
  } catch {
    context.addIssue({ code: 'custom', message: 'must be gzip, then base64, as pudding kept it' });
    return z.NEVER;
  }
});

const text = z.string().default('');
const integer = z.number().int().default(0);
/** Keyed by site, then (for most) by env: `amqp.org.prod`. */
const bySite = <Schema extends z.ZodType>(schema: Schema) => z.record(z.string(), schema).default({});

/** The meta yml's shape as pudding's Go structs read it: unknown keys ignored, absent values empty. */
const metaYml = z.object({
  amqp: bySite(
    bySite(
      z.object({
        host: text,
        port: integer,
        username: text,
        password: text,
        vhost: text,
        tls: z.string().optional(),
      }),
    ),
  ),
  build: bySite(bySite(z.object({ api_token: text, url: text }))),
  librato: bySite(z.object({ email: text, token: text })),
  cache: bySite(
    bySite(
      z.object({
        type: text,
        s3: z.object({ access_key_id: text, secret_access_key: text, bucket: text }).nullable().default(null),
        fetch_timeout: integer,
        push_timeout: integer,
      }),
    ),
  ),
  papertrail: bySite(z.string()),
});

const yamlText = z.string().transform((value, context) => {
  try {
    return parse(value, { maxAliasCount: 100 }) as unknown;
  } catch (error) {
    context.addIssue({ code: 'custom', message: `is not YAML: ${(error as Error).message.split('\n')[0]}` });
    return z.NEVER;
  }
});

/** pudding's variables, each under its two names (INSTANCE_RSA, else PUDDING_INSTANCE_RSA, as pudding looked). */
export const puddingVariables = z.object({
  /** The instance private key the template writes as `{{ .InstanceRSA }}` (compressed); required when it does. */
  INSTANCE_RSA: compressedVariable.optional(),
  PUDDING_INSTANCE_RSA: compressedVariable.optional(),
  /**
   * The meta yml (compressed; pudding's examples/simple/meta.yml) each build's `{{ .InstanceYML }}` and
   * `{{ .PapertrailSite }}` are cut from by its site and env; required when the template reads either.
   */
  INSTANCE_YML: compressedVariable.pipe(yamlText).pipe(metaYml).optional(),
  PUDDING_INSTANCE_YML: compressedVariable.pipe(yamlText).pipe(metaYml).optional(),
});
