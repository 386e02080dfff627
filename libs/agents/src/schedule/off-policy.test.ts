import { describe, expect, it } from 'vitest';
import { OffPolicySchedule } from './off-policy.js';

describe('OffPolicySchedule', () => {
  it('is due after training_start_step adds at heads that are multiples of training_frequency', () => {
    const s = new OffPolicySchedule({ trainingStartStep: 4, trainingFrequency: 3, trainingIter: 2, numEnvs: 1 });
    const due: number[] = [];
    for (let seen = 1, head = 0; seen <= 12; seen++, head++) if (s.dueAfterAdd(seen, head % 10)) due.push(seen);
    // seen 5.. with head = seen - 1 (mod 10) in {0, 3, 6, 9}: seen 7 (head 6), 10 (head 9), 11 (head 0)
    expect(due).toEqual([7, 10, 11]);
  });

  it('update-to-data ratio: training_iter per max(training_frequency, num_envs) transitions', () => {
    expect(new OffPolicySchedule({ trainingStartStep: 0, trainingFrequency: 1, trainingIter: 4, numEnvs: 4 }).updateToDataRatio).toBe(1); // sac_pendulum
    expect(new OffPolicySchedule({ trainingStartStep: 0, trainingFrequency: 20, trainingIter: 20, numEnvs: 16 }).updateToDataRatio).toBe(1); // sac_bipedalwalker
    expect(new OffPolicySchedule({ trainingStartStep: 0, trainingFrequency: 1, trainingIter: 8, numEnvs: 8 }).updateToDataRatio).toBe(1);
    expect(new OffPolicySchedule({ trainingStartStep: 0, trainingFrequency: 1, trainingIter: 1, numEnvs: 4 }).updateToDataRatio).toBe(0.25);
  });

  it('refuses a zero frequency or iteration count', () => {
    expect(() => new OffPolicySchedule({ trainingStartStep: 0, trainingFrequency: 0, trainingIter: 1, numEnvs: 1 })).toThrow(/training_frequency must be an integer >= 1/);
    expect(() => new OffPolicySchedule({ trainingStartStep: 0, trainingFrequency: 1, trainingIter: 0, numEnvs: 1 })).toThrow(/training_iter/);
  });
});
