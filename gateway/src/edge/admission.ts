import { performance } from 'node:perf_hooks';
import { ErrorCode } from '@gerbang/common';
import { GATEWAY_DEFAULTS } from '../defaults';
import { EdgeRefusal } from './refusal';

/**
 * Admission control: how many GraphQL operations execute at once, adapted to the CPU.
 *
 * A gateway process has one core. When more operations run at once than that core needs to stay
 * busy, they do not finish sooner: they interleave, each holds its subgraph answers and merged
 * result for longer, V8 promotes those to the old generation, and the process spends its time in
 * garbage collection and grows. (Measured on workload 1 of `npm run bench`: 50 operations at once
 * cost 8.8 ms of CPU each and 400 MiB peak RSS; 4 at once, the same operations queued in front,
 * 6.6 ms and 365 MiB, at a lower p95, since finishing sooner is what a queue of equal work rewards.)
 *
 * So operations wait in a FIFO queue for one of `limit` slots, and the limit follows the event
 * loop's utilisation (ELU, the share of time the loop was busy) every `intervalMs`:
 *   - busy (ELU ≥ target): the core is saturated, more concurrency only adds memory: the limit
 *     shrinks by 10 % per period, down to `min`;
 *   - not busy while operations waited: the core had room, i.e. operations are waiting on
 *     subgraphs (agency systems with 100 ms answers): the limit grows (×2 when mostly idle,
 *     ×1.25 near the target), up to `max`;
 *   - otherwise it stays.
 * An I/O-bound load therefore gets the concurrency it needs within a few periods, and a CPU-bound
 * one runs at the few operations that keep the core busy.
 *
 * The queue is bounded twice: at most `maxQueue` waiting operations (then 503 OVERLOADED at once)
 * and at most `queueTimeoutMs` of waiting (then 503 OVERLOADED), each with Retry-After. An
 * operation whose client has gone away while it waited is dropped, never executed.
 */
export interface AdmissionOptions {
  /** Floor of the adaptive limit (default 4). */
  min?: number;
  /** Ceiling of the adaptive limit (default 512). */
  max?: number;
  /** The limit at start (default min × 4, within min…max). */
  initial?: number;
  /** Operations allowed to wait; beyond, refused at once (default 1 000). */
  maxQueue?: number;
  /** Longest wait for a slot (default 10 000 ms). */
  queueTimeoutMs?: number;
  /** Event-loop utilisation (0–1) at and above which the core counts as saturated (default 0.9). */
  targetUtilization?: number;
  /** Control period in ms (default 100); 0: no timer, the owner calls `adjust()` (tests). */
  intervalMs?: number;
  /** Utilisation of the event loop since the previous call (default: perf_hooks' ELU). */
  utilization?: () => number;
}

export type OverloadReason = 'queue full' | 'queue timeout';

export class OverloadRefusal extends EdgeRefusal {
  constructor(
    readonly reason: OverloadReason,
    retryAfterSeconds: number,
  ) {
    super(503, ErrorCode.OVERLOADED, `The service is busy. Try again in ${retryAfterSeconds} s.`, { reason, retryAfter: retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
  }
}

/** The client closed its connection before its operation ran: nothing to execute or answer. */
export class ClientGone extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGone';
  }
}

/** Releases a slot; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
  fail: (err: Error) => void;
  gone: () => boolean;
  timer: NodeJS.Timeout;
  since: number;
}

export interface AdmissionEvents {
  /** A slot was granted after `waitedMs` in the queue (0 when none waited). */
  admitted?(waitedMs: number): void;
  refused?(reason: OverloadReason | 'client gone'): void;
}

export function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, last);
    last = now;
    return delta.utilization;
  };
}

export class Admission {
  readonly min: number;
  readonly max: number;
  private current: number;
  private running = 0;
  private readonly queue: Waiter[] = [];
  private waitedSinceAdjust = false;
  private readonly maxQueue: number;
  private readonly queueTimeoutMs: number;
  private readonly target: number;
  private readonly utilization: () => number;
  private readonly timer?: NodeJS.Timeout;
  private events: AdmissionEvents = {};

  constructor(options: AdmissionOptions = {}) {
    const defaults = GATEWAY_DEFAULTS.admission;
    this.min = Math.max(1, Math.floor(options.min ?? defaults.min));
    this.max = Math.max(this.min, Math.floor(options.max ?? defaults.max));
    this.current = clamp(Math.floor(options.initial ?? this.min * 4), this.min, this.max);
    this.maxQueue = Math.max(0, Math.floor(options.maxQueue ?? defaults.maxQueue));
    this.queueTimeoutMs = Math.max(1, options.queueTimeoutMs ?? defaults.queueTimeoutMs);
    this.target = options.targetUtilization ?? 0.9;
    this.utilization = options.utilization ?? eventLoopUtilization();
    const interval = options.intervalMs ?? 100;
    if (interval > 0) {
      this.timer = setInterval(() => this.adjust(), interval);
      this.timer.unref();
    }
  }

  /** Metrics hooks (set once by the gateway). */
  on(events: AdmissionEvents): this {
    this.events = events;
    return this;
  }

  get limit(): number {
    return this.current;
  }
  get inflight(): number {
    return this.running;
  }
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Waits for a slot. Resolves with its release; rejects with OverloadRefusal (queue full or
   * waited too long) or ClientGone (`gone()` turned true while waiting).
   */
  acquire(gone: () => boolean = () => false): Promise<Release> {
    if (this.running < this.current && this.queue.length === 0) {
      this.running++;
      this.events.admitted?.(0);
      return Promise.resolve(this.releaser());
    }
    this.waitedSinceAdjust = true;
    if (this.queue.length >= this.maxQueue) {
      this.events.refused?.('queue full');
      return Promise.reject(new OverloadRefusal('queue full', this.retryAfter()));
    }
    return new Promise<Release>((grant, fail) => {
      const waiter: Waiter = {
        grant,
        fail,
        gone,
        since: performance.now(),
        timer: setTimeout(() => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          this.events.refused?.('queue timeout');
          fail(new OverloadRefusal('queue timeout', this.retryAfter()));
        }, this.queueTimeoutMs),
      };
      this.queue.push(waiter);
    });
  }

  /** One control step (run every `intervalMs`): see the class comment. */
  adjust(): void {
    const u = this.utilization();
    const waited = this.waitedSinceAdjust || this.queue.length > 0;
    this.waitedSinceAdjust = false;
    if (u >= this.target) {
      this.current = Math.max(this.min, Math.floor(this.current * 0.9));
    } else if (waited) {
      this.current = Math.min(this.max, Math.ceil(this.current * (u < this.target / 2 ? 2 : 1.25)));
      this.pump();
    }
  }

  /** Stops the control timer and refuses whoever still waits. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const w of this.queue.splice(0)) {
      clearTimeout(w.timer);
      w.fail(new OverloadRefusal('queue timeout', 1));
    }
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.pump();
    };
  }

  private pump(): void {
    while (this.running < this.current && this.queue.length > 0) {
      const w = this.queue.shift()!;
      clearTimeout(w.timer);
      if (w.gone()) {
        this.events.refused?.('client gone');
        w.fail(new ClientGone());
        continue;
      }
      this.running++;
      this.events.admitted?.(performance.now() - w.since);
      w.grant(this.releaser());
    }
  }

  /** Seconds a refused client is asked to wait: half the longest queue wait, at least 1. */
  private retryAfter(): number {
    return Math.max(1, Math.ceil(this.queueTimeoutMs / 1000 / 2));
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
