import { checkTopic, dispatch, type EventBus } from './types';

/** One process only (unit tests, a single-process tool). Delivers asynchronously, like the others. */
export class MemoryEventBus implements EventBus {
  readonly transport = 'memory' as const;
  private readonly handlers = new Map<string, Set<(payload: unknown) => void>>();

  async publish(topic: string, payload: unknown): Promise<void> {
    checkTopic(topic);
    const copy = JSON.parse(JSON.stringify(payload)) as unknown;
    const set = this.handlers.get(topic);
    if (set) queueMicrotask(() => dispatch([...set], copy, () => undefined));
  }

  async subscribe(topic: string, handler: (payload: unknown) => void) {
    checkTopic(topic);
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    const own = (p: unknown) => handler(p);
    set.add(own);
    return async () => void set.delete(own);
  }

  async ping(): Promise<void> {
    // In process: always reachable.
  }
  async close(): Promise<void> {
    this.handlers.clear();
  }
}
