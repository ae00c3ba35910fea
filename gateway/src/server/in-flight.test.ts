import { createInFlight } from './in-flight.ts';

describe('createInFlight', () => {
  it('counts and lists what is registered, and forgets what is removed', () => {
    const inFlight = createInFlight<string>();
    const a = inFlight.add('a');
    const b = inFlight.add('b');
    inFlight.add('c');
    expect(inFlight.size).toBe(3);
    inFlight.remove(b);
    expect(inFlight.size).toBe(2);
    expect(inFlight.items()).toEqual(['a', 'c']);
    inFlight.remove(a);
    expect(inFlight.items()).toEqual(['c']);
  });

  it('reuses freed slots, so it only grows with the peak concurrency', () => {
    const inFlight = createInFlight<number>();
    const first = inFlight.add(1);
    inFlight.remove(first);
    for (let i = 0; i < 1000; i += 1) inFlight.remove(inFlight.add(i));
    expect(inFlight.add(7)).toBe(first);
    expect(inFlight.size).toBe(1);
  });

  it('leaves an empty slot alone when it is removed again', () => {
    const inFlight = createInFlight<string>();
    const a = inFlight.add('a');
    inFlight.remove(a);
    inFlight.remove(a);
    expect(inFlight.size).toBe(0);
    inFlight.add('b');
    expect(inFlight.items()).toEqual(['b']);
    expect(inFlight.size).toBe(1);
  });
});
