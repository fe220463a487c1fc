/**
 * Runs a task every `intervalMs` (0: never on its own; callers use `runNow`). The drop folder is a
 * network share, where file-system events are unreliable, so it is polled rather than watched.
 * Concurrent `runNow` calls share one run; a failing run is reported and retried next tick.
 */
export class Poller<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly task: () => Promise<T>,
    private readonly options: { intervalMs: number; onError: (err: unknown) => void },
  ) {}

  runNow(): Promise<T> {
    this.running ??= this.task().finally(() => (this.running = undefined));
    return this.running;
  }

  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    const tick = () => {
      this.runNow()
        .catch((err) => this.options.onError(err))
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
