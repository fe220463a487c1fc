import { describe, expect, it } from 'vitest';
import { Admission } from '../../src/edge/admission';
import { admissionStep } from '../../src/pipeline/admission';
import { refusalOf, request } from './support';

describe('admission step', () => {
  it('holds a slot while the rest runs, refuses OVERLOADED past the queue, and frees it after', async () => {
    const admission = new Admission({ min: 1, max: 1, initial: 1, maxQueue: 0, utilization: () => 0, intervalMs: 0 });
    const step = admissionStep(admission);
    let finish!: () => void;
    const first = step.run(request().ctx, () => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((r) => setImmediate(r));
    const refusal = await refusalOf(step.run(request().ctx, async () => undefined));
    expect([refusal.status, refusal.code]).toEqual([503, 'OVERLOADED']);
    finish();
    await first;
    let ran = false;
    await step.run(request().ctx, async () => void (ran = true));
    expect(ran).toBe(true);
    admission.close();
  });

  it('frees the slot when a later step refuses', async () => {
    const admission = new Admission({ min: 1, max: 1, initial: 1, maxQueue: 0, utilization: () => 0, intervalMs: 0 });
    const step = admissionStep(admission);
    await expect(step.run(request().ctx, () => Promise.reject(new Error('refused later')))).rejects.toThrow('refused later');
    let ran = false;
    await step.run(request().ctx, async () => void (ran = true));
    expect(ran).toBe(true);
    admission.close();
  });
});
