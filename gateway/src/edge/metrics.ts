import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState } from '@gerbang/common';
import type { Admission } from './admission';

/**
 * Prometheus metrics of one gateway (its own registry, so several gateways in one test process
 * never collide). Operation names come from clients, so the label is bounded: safelisted names
 * and the first `maxOperationNames` others; the rest are counted as "other".
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'status'>;
  readonly duration: Histogram<'operation'>;
  readonly subgraphDuration: Histogram<'subgraph' | 'outcome'>;
  readonly errors: Counter<'code'>;
  readonly circuit: Gauge<'subgraph'>;
  readonly rateLimited: Counter<'scope'>;
  readonly dedup: Counter<'subgraph'>;
  readonly admissionWait: Histogram;
  readonly admissionRefused: Counter<'reason'>;
  private readonly names = new Set<string>();

  constructor(options: { knownOperations?: Iterable<string>; maxOperationNames?: number; defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'gerbang_gateway_requests_total', help: 'GraphQL requests by operation and HTTP status', labelNames: ['operation', 'status'], registers });
    this.duration = new Histogram({
      name: 'gerbang_gateway_request_duration_seconds',
      help: 'Time to answer a GraphQL request, by operation',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.subgraphDuration = new Histogram({
      name: 'gerbang_gateway_subgraph_request_duration_seconds',
      help: 'Time of subgraph calls, by subgraph and outcome (ok, error, open)',
      labelNames: ['subgraph', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.errors = new Counter({ name: 'gerbang_gateway_errors_total', help: 'Errors returned to clients, by extensions.code', labelNames: ['code'], registers });
    this.circuit = new Gauge({ name: 'gerbang_gateway_circuit_state', help: 'Circuit breaker per subgraph: 0 closed, 1 half-open, 2 open', labelNames: ['subgraph'], registers });
    this.rateLimited = new Counter({ name: 'gerbang_gateway_rate_limited_total', help: 'Requests refused by the rate limiter, by scope', labelNames: ['scope'], registers });
    this.dedup = new Counter({ name: 'gerbang_gateway_subgraph_dedup_total', help: 'Subgraph fetches served by an identical in-flight fetch', labelNames: ['subgraph'], registers });
    this.admissionWait = new Histogram({
      name: 'gerbang_gateway_admission_wait_seconds',
      help: 'Time operations waited for an execution slot (admission control)',
      buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.admissionRefused = new Counter({
      name: 'gerbang_gateway_admission_refused_total',
      help: 'Operations not executed by admission control: queue full, queue timeout, client gone',
      labelNames: ['reason'],
      registers,
    });
    for (const n of options.knownOperations ?? []) this.names.add(n);
    this.maxNames = this.names.size + (options.maxOperationNames ?? 100);
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'gerbang_gateway_' });
  }

  private readonly maxNames: number;

  /** A bounded label for a client-chosen operation name. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.names.has(name)) return name;
    if (this.names.size < this.maxNames && /^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name)) {
      this.names.add(name);
      return name;
    }
    return 'other';
  }

  /** Gauges of the admission controller, read at scrape time. */
  watchAdmission(admission: Admission): void {
    const registers = [this.registry];
    new Gauge({
      name: 'gerbang_gateway_admission_limit',
      help: 'Operations allowed to execute at once (adaptive)',
      registers,
      collect() {
        this.set(admission.limit);
      },
    });
    new Gauge({
      name: 'gerbang_gateway_admission_inflight',
      help: 'Operations executing',
      registers,
      collect() {
        this.set(admission.inflight);
      },
    });
    new Gauge({
      name: 'gerbang_gateway_admission_queued',
      help: 'Operations waiting for a slot',
      registers,
      collect() {
        this.set(admission.queued);
      },
    });
    admission.on({ admitted: (ms) => this.admissionWait.observe(ms / 1000), refused: (reason) => this.admissionRefused.inc({ reason }) });
  }

  setCircuit(subgraph: string, state: BreakerState): void {
    this.circuit.set({ subgraph }, state === 'open' ? 2 : state === 'half-open' ? 1 : 0);
  }
}
