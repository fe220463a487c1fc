import { describe, expect, it } from 'vitest';
import { callerOf, check, composeSteps, type EdgeStep } from '../../src/pipeline/step';
import { request } from './support';

describe('the edge pipeline (one contract: run(ctx, next))', () => {
  it('runs the steps in order, skips those turned off, and stops where a step answers', async () => {
    const seen: string[] = [];
    const step = (name: string): EdgeStep => check(name, () => void seen.push(name));
    const answers: EdgeStep = { name: 'answers', run: async () => void seen.push('answers') };
    const pipeline = composeSteps([step('a'), false, step('b'), undefined, answers, step('never')]);
    expect(pipeline.steps.map((s) => s.name)).toEqual(['a', 'b', 'answers', 'never']);
    await pipeline(request().ctx);
    expect(seen).toEqual(['a', 'b', 'answers']);
  });

  it('lets a step act after the rest has run, also when the rest refuses', async () => {
    const seen: string[] = [];
    const around: EdgeStep = {
      name: 'around',
      async run(_ctx, next) {
        try {
          await next();
        } finally {
          seen.push('after');
        }
      },
    };
    const refuses = check('refuses', () => {
      throw new Error('refused');
    });
    await expect(composeSteps([around, refuses])(request().ctx)).rejects.toThrow('refused');
    expect(seen).toEqual(['after']);
  });

  it('refuses to run a step that needs the caller before the identity step', () => {
    expect(() => callerOf(request().ctx)).toThrow(/identity step/);
  });
});
