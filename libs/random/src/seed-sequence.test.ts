import { describe, expect, it } from 'vitest';
import { SeedSequence, entropyWords } from '@gymlab/random';

/** numpy 2.4.6: `[hex(w) for w in SeedSequence(entropy).generate_state(4, np.uint64)]` (tools/numpy-random-reference.py). */
const NUMPY_STATE: [entropy: number | bigint | number[], words: string[]][] = [
  [0, ['db2cd7e7b0f478be', 'abf4641a2c71ba49', '20c6ed6d9d7b8d41', '2c4099de223c39d4']],
  [1, ['672d8ee56d6791ff', '8ae19ca14eb1072c', '4915796d1322fc4a', 'd0cc2bdcaba049bd']],
  [12345, ['b5ae6482a03d837c', 'bbe2996ffa1f7a2f', '64e39a9f37158f94', '3ebb0f96a013fd73']],
  [2 ** 32, ['50ff846cec53f444', '7a4918dbe8278562', '3bff9f6c362e2b19', 'bdb177539a0654e3']],
  [2n ** 63n, ['d360dfe156c9650a', '6d067215b58db8d7', 'b8f7f43613077984', 'aa2ec05d0037409d']],
  [2n ** 64n + 5n, ['3bc56ee7d67eb732', '784f8ac13182cbed', '377ed8aceb24eb98', '4e1cde22d5c0d56f']],
  [[1, 2, 3, 4, 5], ['f7e330477eff2afe', 'f75b19e364055549', '2a0369b781a67667', '4374721c872d7af1']],
];

const hex = (a: BigUint64Array): string[] => Array.from(a, (w) => w.toString(16));

describe('SeedSequence', () => {
  for (const [entropy, words] of NUMPY_STATE) {
    it(`generate_state(4, uint64) of ${String(entropy)} equals numpy's`, () => {
      expect(hex(new SeedSequence(entropy).generateState(4, 'uint64'))).toEqual(words);
    });
  }

  it('uint32 words are the uint64 words split low half first (numpy generate_state(3) of 0)', () => {
    expect(Array.from(new SeedSequence(0).generateState(3))).toEqual([0xb0f478be, 0xdb2cd7e7, 0x2c71ba49]);
  });

  it('a number beyond 2^32 and the same bigint give the same words', () => {
    expect(entropyWords(2 ** 40 + 7)).toEqual([7, 256]);
    expect(entropyWords(2n ** 40n + 7n)).toEqual([7, 256]);
    expect(entropyWords(0)).toEqual([0]);
    expect(hex(new SeedSequence(2 ** 32).generateState(4, 'uint64'))).toEqual(hex(new SeedSequence(2n ** 32n).generateState(4, 'uint64')));
  });

  it("spawn(2)[1] of 7 equals numpy's SeedSequence(7).spawn(2)[1]", () => {
    const child = new SeedSequence(7).spawn(2)[1];
    expect(child.spawnKey).toEqual([1]);
    expect(hex(child.generateState(4, 'uint64'))).toEqual(['3819da2ed7b54d03', 'faed8d3810e1c57c', 'ade8f094f719bb7', '9cab805ecce4c2f9']);
  });

  it('rejects negative, fractional and unsafe entropy with one line', () => {
    expect(() => new SeedSequence(-1)).toThrow('SeedSequence: entropy = -1 (allowed: a non-negative integer below 2^53, or a bigint)');
    expect(() => new SeedSequence(0.5)).toThrow(/entropy = 0.5/);
    expect(() => new SeedSequence(2 ** 60)).toThrow(/below 2\^53/);
    expect(() => new SeedSequence([1, -2])).toThrow(/entropy\[1\] = -2/);
    expect(() => new SeedSequence(-3n)).toThrow(/entropy = -3/);
  });
});
