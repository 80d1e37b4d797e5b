import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('@overcast/service-kit');

/**
 * `fetch` in an HTTP client span that sends the W3C `traceparent` on, for the services' calls out (GitHub, a
 * webhook). Explicit for the reason `traceRequests` is: undici's diagnostics-channel instrumentation has to be
 * registered before the first request in a process the SDK set up, which the services' tests do not do.
 */
export function tracedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const target = new URL(url);
  const attributes = { 'http.request.method': method, 'server.address': target.hostname, 'url.full': target.origin };
  return tracer.startActiveSpan(method, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const headers = new Headers(init.headers);
    propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
    try {
      const response = await fetch(url, { ...init, headers });
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
