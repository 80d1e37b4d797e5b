import { context, SpanStatusCode, trace, type Attributes, type Context, type SpanKind } from '@opentelemetry/api';

const tracer = trace.getTracer('@overcast/messaging');

// Used beside the bus too (the outbox relay, a service's own seams): one way to run work as a span.

/**
 * Runs `work` as the active span `name` under `parent`, recording a throw as the span's error. With tracing off
 * the API hands out a non-recording span: a few allocations, no clock reads, nothing exported.
 */
export function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  work: () => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
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
