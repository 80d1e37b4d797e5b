import {
  context,
  ProxyTracerProvider,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type SpanKind,
} from '@opentelemetry/api';

const tracer = trace.getTracer('@overcast/messaging');

// Used beside the bus too (the outbox relay, a service's own seams): one way to run work as a span.

// What the API's proxy delegates to while no provider is registered (its no-op), found through public API only.
const noopProviderClass = new ProxyTracerProvider().getDelegate().constructor;

function tracingRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || !(provider.getDelegate() instanceof noopProviderClass);
}

/**
 * Runs `work` as the active span `name` under `parent`, recording a throw as the span's error. With tracing off
 * (no provider registered) `work` runs as it is: no span object, and no extra promise turns that would change
 * how the caller's work interleaves with other work.
 */
export function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  work: () => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  if (!tracingRegistered()) return work();
  return tracer.startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      if (span.isRecording()) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      }
      throw error;
    } finally {
      span.end();
    }
  });
}
