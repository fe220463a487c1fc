import { describe, expect, it } from 'vitest';
import http from 'node:http';
import { withBackgroundWork, type RunningServer } from '../src/http';

/** An app that records when its server listens and closes. */
function fakeApp(events: string[]) {
  return {
    name: 'fake',
    listen: (): Promise<RunningServer> => {
      events.push('listen');
      return Promise.resolve({ server: http.createServer(), url: 'http://127.0.0.1:1', close: () => (events.push('server closed'), Promise.resolve()) });
    },
    close: () => (events.push('server closed'), Promise.resolve()),
  };
}

const work = (events: string[]) => ({
  start: () => events.push('work started'),
  stop: () => events.push('work stopped'),
  release: () => (events.push('released'), Promise.resolve()),
});

describe('withBackgroundWork', () => {
  it('starts nothing until the server listens, then stops the work before the drain and releases after it', async () => {
    const events: string[] = [];
    const app = withBackgroundWork(fakeApp(events), work(events));
    expect(events).toEqual([]);
    expect(app.name).toBe('fake');
    const running = await app.listen(0);
    expect(events).toEqual(['listen', 'work started']);
    await running.close();
    expect(events).toEqual(['listen', 'work started', 'work stopped', 'server closed', 'released']);
  });

  it('closing the app (never listened) stops and releases in the same order', async () => {
    const events: string[] = [];
    await withBackgroundWork(fakeApp(events), work(events)).close();
    expect(events).toEqual(['work stopped', 'server closed', 'released']);
  });

  it('stop and release are optional', async () => {
    const events: string[] = [];
    const running = await withBackgroundWork(fakeApp(events), { start: () => events.push('work started') }).listen();
    await running.close();
    expect(events).toEqual(['listen', 'work started', 'server closed']);
  });
});
