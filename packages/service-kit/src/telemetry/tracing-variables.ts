import { z } from 'zod';

/** Where spans go, from the standard OpenTelemetry variables (a subset: what the OTLP/HTTP exporter needs). */
export interface TracingSettings {
  /** The OTLP/HTTP traces URL; absent: tracing is off. */
  tracesUrl?: string;
  headers?: Record<string, string>;
  serviceName?: string;
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** `key=value,key2=value2`, as the OpenTelemetry specification writes exporter headers. */
const headerList = z
  .string()
  .regex(/^[^=,\s]+=[^,]*(,[^=,\s]+=[^,]*)*$/, 'must be key=value pairs separated by commas')
  .transform((value) =>
    Object.fromEntries(
      value.split(',').map((pair) => {
        const at = pair.indexOf('=');
        return [pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim())];
      }),
    ),
  );

/**
 * The OpenTelemetry variables a service reads, for its config schema: `...tracingVariables.shape` in the
 * environment object, then `tracingSettingsOf(env)` in its transform.
 */
export const tracingVariables = z.object({
  /** OTLP/HTTP collector base URL (traces go to `<it>/v1/traces`); unset: no tracing (the default). */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  /** The traces URL itself, when it is not `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  /** Headers of every export (`authorization=Bearer …`): a credential, never logged. */
  OTEL_EXPORTER_OTLP_HEADERS: headerList.optional(),
  /** `service.name` of the spans; default: the service's own name. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

export function tracingSettingsOf(env: z.output<typeof tracingVariables>): TracingSettings {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  return {
    tracesUrl: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : undefined),
    headers: env.OTEL_EXPORTER_OTLP_HEADERS,
    serviceName: env.OTEL_SERVICE_NAME,
  };
}
