import { useCallback, useRef, useState } from 'react';
import { newIdempotencyKey } from './components';

/**
 * One intended action (a rating, a booking, a request) and its idempotency key. The key is made
 * when the citizen starts the action and kept until it succeeds, so "Coba lagi" after a lost
 * answer or an agency outage sends the same key again: the graph returns the first result and
 * does nothing twice. A success starts a new action with a new key.
 */
export function useIdempotentAction<T>(run: (idempotencyKey: string) => Promise<T>) {
  const key = useRef(newIdempotencyKey());
  const [state, setState] = useState<{ sending: boolean; error?: unknown; result?: T }>({ sending: false });
  const submit = useCallback(async () => {
    setState({ sending: true });
    try {
      const result = await run(key.current);
      key.current = newIdempotencyKey();
      setState({ sending: false, result });
      return result;
    } catch (error) {
      setState({ sending: false, error });
      return undefined;
    }
  }, [run]);
  return { ...state, submit };
}
