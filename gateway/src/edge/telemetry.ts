import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

/**
 * OpenTelemetry traces, only when OTEL_EXPORTER_OTLP_ENDPOINT is set: the SDK is imported lazily,
 * so a gateway without an exporter loads none of it and every span below is the API's no-op.
 * @apollo/gateway already traces its phases (gateway.request, .plan, .execute, .fetch) with the
 * global tracer; this adds the HTTP server span around them and W3C trace context to subgraph calls.
 */
export interface TelemetryOptions {
  endpoint?: string;
  serviceName: string;
  /** Tests: an exporter of their own (e.g. InMemorySpanExporter), with a simple processor. */
  exporter?: unknown;
}

export interface Telemetry {
  shutdown(): Promise<void>;
}

export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry | undefined> {
  if (!options.endpoint && !options.exporter) return undefined;
  const [{ NodeTracerProvider, BatchSpanProcessor, SimpleSpanProcessor }, { Resource }] = await Promise.all([import('@opentelemetry/sdk-trace-node'), import('@opentelemetry/resources')]);
  let processor;
  if (options.exporter) {
    processor = new SimpleSpanProcessor(options.exporter as never);
  } else {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const url = `${options.endpoint!.replace(/\/$/, '')}/v1/traces`;
    processor = new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  }
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': options.serviceName }),
    spanProcessors: [processor],
  });
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

const tracer = trace.getTracer('gerbang-gateway');

/** Runs `fn` inside a server span for this request (a no-op span without an SDK). */
export function withServerSpan<T>(name: string, attributes: Record<string, string>, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { kind: SpanKind.SERVER, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Adds W3C trace context (traceparent) of the active span to outgoing headers. */
export function injectTraceContext(headers: Record<string, string>): void {
  propagation.inject(context.active(), headers);
}
