/**
 * Runs a task every `intervalMs` (0: never on its own; callers use `runNow`). Agency systems are
 * polled rather than watched: change feeds have no push, and file-system events on a network share
 * are unreliable. Concurrent `runNow` calls share one run; a failing run is retried next tick and
 * reported once `reportAfter` runs in a row have failed (default 1).
 */
export class Poller<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly task: () => Promise<T>,
    private readonly options: { intervalMs: number; onError?: (err: unknown) => void; reportAfter?: number },
  ) {}

  runNow(): Promise<T> {
    this.running ??= this.task().finally(() => (this.running = undefined));
    return this.running;
  }

  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    let failures = 0;
    const tick = () => {
      this.runNow()
        .then(() => (failures = 0))
        .catch((err: unknown) => {
          if (++failures >= (this.options.reportAfter ?? 1)) this.options.onError?.(err);
        })
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
