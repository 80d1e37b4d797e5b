import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  TracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { TracingSettings } from './tracing-variables';

export interface StartTracingOptions {
  /** `service.name` of every span this process exports. */
  serviceName: string;
  /** From the service's config (`tracingVariables`); no OTLP URL means no exporter from it. */
  settings?: TracingSettings;
  /** Tests: spans go here, one by one as they end (an `InMemorySpanExporter`). */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** Exports what is buffered and unregisters, so the process may register again (tests). */
  shutdown(): Promise<void>;
}

/**
 * Registers the process's tracer provider, the W3C `traceparent` propagator and an AsyncLocalStorage context
 * manager, or nothing when there is nowhere to send spans: off by default, the API's no-op tracer then costs a
 * function call per would-be span. One registration per process (the API is global): services composed into one
 * process (standalone, tests) share it, each naming its spans through its own tracer.
 */
export function startTracing(options: StartTracingOptions): Tracing | null {
  const url = options.settings?.tracesUrl;
  const processors: SpanProcessor[] = [];
  if (options.exporter) processors.push(new SimpleSpanProcessor({ exporter: options.exporter }));
  if (url)
    processors.push(
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url, headers: options.settings?.headers }) }),
    );
  if (processors.length === 0) return null;

  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.settings?.serviceName ?? options.serviceName }),
    spanProcessors: processors,
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(contextManager) || !trace.setGlobalTracerProvider(provider)) {
    contextManager.disable();
    throw new Error('tracing is already registered in this process; shut the first registration down first');
  }
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
