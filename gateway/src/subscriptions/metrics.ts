import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Live ticket status on the gateway's own registry (GET /metrics). */
export class LiveMetrics {
  readonly connections: Gauge<'transport'>;
  readonly subscriptions: Gauge<'field'>;
  readonly eventsIn: Counter;
  readonly eventsOut: Counter<'field'>;
  readonly withheld: Counter<'reason'>;
  readonly refused: Counter<'reason'>;
  readonly lag: Histogram<'field'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.connections = new Gauge({ name: 'gerbang_gateway_live_connections', help: 'Open subscription connections, by transport (ws, sse)', labelNames: ['transport'], registers });
    this.subscriptions = new Gauge({ name: 'gerbang_gateway_live_subscriptions', help: 'Active subscriptions, by field', labelNames: ['field'], registers });
    this.eventsIn = new Counter({ name: 'gerbang_gateway_live_events_in_total', help: 'Ticket changes heard on the event bus (a bus message carries up to 25)', registers });
    this.eventsOut = new Counter({ name: 'gerbang_gateway_live_events_out_total', help: 'Events delivered to subscribers, by field', labelNames: ['field'], registers });
    this.withheld = new Counter({
      name: 'gerbang_gateway_live_events_withheld_total',
      help: 'Changes not delivered to a subscriber: not theirs when authorized again (forbidden), or a resolution retried later (retry)',
      labelNames: ['reason'],
      registers,
    });
    this.refused = new Counter({ name: 'gerbang_gateway_live_refused_total', help: 'Connections and subscriptions refused or closed by the gateway, by reason', labelNames: ['reason'], registers });
    this.lag = new Histogram({
      name: 'gerbang_gateway_live_delivery_lag_seconds',
      help: 'From the ledger publishing a change to the gateway handing its event to the subscriber transport',
      labelNames: ['field'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers,
    });
  }
}
