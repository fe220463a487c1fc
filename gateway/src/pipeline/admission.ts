import type { Admission } from '../edge/admission';
import type { EdgeStep } from './step';

/**
 * Every check before this one is cheap and refuses at once; execution waits here for a slot
 * (OVERLOADED, 503, when the queue is full or the wait too long: edge/admission.ts), held until the
 * answer has been written.
 */
export function admissionStep(admission: Admission): EdgeStep {
  return {
    name: 'admission',
    async run(ctx, next) {
      const release = await admission.acquire(() => ctx.req.socket.destroyed);
      try {
        await next();
      } finally {
        release();
      }
    },
  };
}
