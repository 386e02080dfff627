import { describe, expect, expectTypeOf, it } from 'vitest';
import { validateField, type ValidateContext } from '../validate.js';
import { bool, flag, int, list, num, obj, oneOf, oneOfValues, orNull, p, required, str, tagged, type Static } from './dsl.js';

const ctx = (): ValidateContext => ({ file: 'f.json', notices: [] });

/** The walk's output for `field`, typed by the field as the loader types it. */
const walk = <F extends Parameters<typeof validateField>[0]>(field: F, v: unknown): Static<F> => validateField(field, v, ['x'], ctx()) as Static<F>;

describe('Static: the type of a validated value follows its table', () => {
  it('obj: required and defaulted keys always there, nullable adds null, optional keys may be absent', () => {
    const table = obj({
      name: required(str, ''),
      size: p(int({ min: 1 }), '', { default: 1 }),
      seed: orNull(int(), ''),
      cpu: p(num(), '', { optional: true }),
      on: flag(''),
      mode: p(oneOf(oneOfValues('mode', ['auto']), bool), '', { default: 'auto' }),
    });
    expectTypeOf<Static<typeof table>>().toEqualTypeOf<{
      readonly name: string;
      readonly size: number;
      readonly seed: number | null;
      readonly cpu?: number;
      readonly on: boolean;
      readonly mode: 'auto' | boolean;
    }>();
    const v = walk(table, { name: 'a' });
    expect(v).toEqual({ name: 'a', size: 1, seed: null, on: false, mode: 'auto' });
    expect('cpu' in v).toBe(false);
  });

  it('lists: a fixed length gives a tuple, else a readonly array', () => {
    const pair = list(num(), { minItems: 2, maxItems: 2 });
    const some = list(list(int(), { minItems: 2, maxItems: 5 }), { minItems: 1 });
    expectTypeOf<Static<typeof pair>>().toEqualTypeOf<readonly [number, number]>();
    expectTypeOf<Static<typeof some>>().toEqualTypeOf<readonly (readonly number[])[]>();
    expect(walk(pair, [1, 2])).toEqual([1, 2]);
    expect(walk(some, [[3, 1]])).toEqual([[3, 1]]);
  });

  it("tagged, fill 'all': the tag is a variant name (not an alias), every key is filled", () => {
    const table = tagged({
      tag: 'name',
      what: 'thing',
      fill: 'all',
      props: { a: p(num(), '', { default: 0 }), b: orNull(str, '') },
      variants: { One: { doc: '', uses: ['a'] }, Two: { doc: '', uses: ['a', 'b'] } },
      tagAliases: { Uno: 'One' },
    });
    expectTypeOf<Static<typeof table>>().toEqualTypeOf<{ readonly name: 'One' | 'Two'; readonly a: number; readonly b: string | null }>();
    expect(walk(table, { name: 'Uno' })).toEqual({ name: 'One', a: 0, b: null });
  });

  it("tagged, fill 'variant': common keys always there, the other variants' keys optional", () => {
    const table = tagged({
      tag: 'name',
      what: 'thing',
      fill: 'variant',
      common: ['lr'],
      variants: {
        A: { doc: '', props: { lr: p(num(), '', { default: 1 }), betas: p(list(num(), { minItems: 2, maxItems: 2 }), '', { default: [0.5, 0.5] }) } },
        B: { doc: '', props: { lr: p(num(), '', { default: 2 }), m: orNull(int(), '') } },
      },
    });
    expectTypeOf<Static<typeof table>>().toEqualTypeOf<{
      readonly name: 'A' | 'B';
      readonly lr: number;
      readonly betas?: readonly [number, number];
      readonly m?: number | null;
    }>();
    expect(walk(table, { name: 'B' })).toEqual({ name: 'B', lr: 2, m: null });
    expect(walk(table, { name: 'A', lr: 3 })).toEqual({ name: 'A', lr: 3, betas: [0.5, 0.5] });
  });

  it('tagged tables that name a key without a prop are refused when the module loads', () => {
    const noLr = () => tagged({ tag: 'name', what: 'optimizer', fill: 'variant', common: ['lr'], variants: { X: { doc: '', props: {} } } });
    expect(noLr).toThrow('schema: optimizer X has no prop lr');
    const badUse = () => tagged({ tag: 'name', what: 'algorithm', fill: 'all', props: {}, variants: { Y: { doc: '', uses: ['gamma'] } } });
    expect(badUse).toThrow('schema: algorithm Y has no prop gamma');
  });
});
