import { describe, expect, it } from 'vitest';
import { Clock, ReturnTracker } from './clock.js';

describe('ReturnTracker', () => {
  it('row return is the mean of episodes since the last row, else the last episode', () => {
    const t = new ReturnTracker(3);
    expect(t.takeRowReturn()).toBeNull();
    expect(t.movingAverage()).toBeNull();
    t.add(10);
    t.add(20);
    expect(t.takeRowReturn()).toBe(15);
    // nothing finished since: the last finished episode's return
    expect(t.takeRowReturn()).toBe(20);
    t.add(30);
    expect(t.takeRowReturn()).toBe(30);
  });
  it('moving average covers the last `window` episodes', () => {
    const t = new ReturnTracker(3);
    for (const r of [1, 2, 3, 4, 5]) t.add(r);
    expect(t.movingAverage()).toBe(4); // (3 + 4 + 5) / 3
  });
});

describe('Clock', () => {
  it('reports wall time in seconds from its time source', () => {
    let now = 1000;
    const c = new Clock(() => now);
    now = 3500;
    expect(c.wallTime()).toBe(2.5);
  });
});
