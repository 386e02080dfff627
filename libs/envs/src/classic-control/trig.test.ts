import { describe, expect, it } from 'vitest';
import { cos, sin } from './trig.js';

describe('correctly rounded sin/cos', () => {
  it('match glibc where V8 Math.sin is one ulp off (values from Python math.sin)', () => {
    // Arguments from the Pendulum fixture where Math.sin differs from Gymnasium's libm.
    expect(sin(0.9013538498463366)).toBe(0.7841677580469012);
    expect(sin(5.427494949652895)).toBe(-0.7550237616741584);
  });

  it('agree with Math.sin/cos to one ulp over a sweep, and are exact at 0', () => {
    expect(sin(0)).toBe(0);
    expect(cos(0)).toBe(1);
    for (let i = -2000; i <= 2000; i++) {
      const x = i * 0.01337;
      expect(Math.abs(sin(x) - Math.sin(x))).toBeLessThanOrEqual(Math.abs(Math.sin(x)) * 2.3e-16 + 1e-300);
      expect(Math.abs(cos(x) - Math.cos(x))).toBeLessThanOrEqual(Math.abs(Math.cos(x)) * 2.3e-16 + 1e-300);
    }
  });
});
