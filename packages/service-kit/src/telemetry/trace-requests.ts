import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import type { IncomingHttpHeaders } from 'node:http';

const headerGetter = {
  keys: (headers: IncomingHttpHeaders) => Object.keys(headers),
  get: (headers: IncomingHttpHeaders, key: string) => headers[key],
};

/**
 * A server span per request, continuing the caller's trace when it sent a `traceparent`, with everything the
 * request does (database, bus, other services) inside it. Named `METHOD /route/:pattern` once a route matched:
 * raw paths would make one span name per id. Explicit rather than `@opentelemetry/instrumentation-http`, whose
 * hook must be loaded before `node:http` is first required: neither tsx's loader in production nor jest's module
 * registry in the tests lets it in reliably, and the one-trace test must see the same spans production exports.
 */
export function traceRequests(tracerName: string): RequestHandler {
  const tracer = trace.getTracer(tracerName);
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers, headerGetter);
    const span = tracer.startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
      parent,
    );
    // Not recording (tracing off, or a caller's unsampled trace): no listeners, but the context still flows on.
    if (!span.isRecording()) {
      context.with(trace.setSpan(parent, span), next);
      return;
    }
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      const route: unknown = req.route;
      const path = typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
      if (typeof path === 'string') {
        span.updateName(`${req.method} ${req.baseUrl}${path}`);
        span.setAttribute('http.route', `${req.baseUrl}${path}`);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}
