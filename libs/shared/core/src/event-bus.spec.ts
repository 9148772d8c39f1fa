import { EventBus } from './event-bus';

describe('EventBus', () => {
  it('delivers to every subscriber and isolates failing ones', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe<string>('t', () => {
      throw new Error('boom');
    });
    bus.subscribe<string>('t', async () => Promise.reject(new Error('async boom')));
    const off = bus.subscribe<string>('t', (p) => void seen.push(p));
    bus.publish('t', 'a');
    off();
    bus.publish('t', 'b');
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['a']);
  });
});
