/**
 * Keyword arguments of the MuJoCo envs (Gymnasium v5's constructor arguments), read with their
 * defaults and checked: a wrong value fails with one line naming the env, the argument and what
 * is allowed.
 */
import { readFileSync } from 'node:fs';
import { EnvKwargError, type EnvKwargs } from '../registry.js';
import { MujocoModelError, compileModel, type MjModel } from './runtime.js';

/**
 * A keyword argument the env takes, with a value it cannot take (an `EnvKwargError`, so the
 * lab's preflight names it as `env.<kwarg>`).
 */
export class EnvKwargValueError extends EnvKwargError {
  override readonly message: string;

  constructor(
    id: string,
    kwarg: string,
    readonly allowed: string,
    value: unknown,
  ) {
    super(id, kwarg, []);
    this.message = `env ${id}: keyword argument '${kwarg}' must be ${allowed}, got ${JSON.stringify(value) ?? String(value)}`;
  }
}

/** `source` of the built-in models (any other source is the path given as `xml_file`). */
export const BUILT_IN = 'built-in model';

/** Reads an env's kwargs, each with Gymnasium's default when absent. */
export class KwargReader {
  constructor(
    readonly id: string,
    private readonly kwargs: EnvKwargs,
  ) {}

  number(name: string, fallback: number): number {
    const v = this.kwargs[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new EnvKwargValueError(this.id, name, 'a finite number', v);
    return v;
  }

  nonNegative(name: string, fallback: number): number {
    const v = this.number(name, fallback);
    if (v < 0) throw new EnvKwargValueError(this.id, name, 'a number >= 0', v);
    return v;
  }

  positiveInt(name: string, fallback: number): number {
    const v = this.kwargs[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1000) {
      throw new EnvKwargValueError(this.id, name, 'an integer in [1, 1000]', v);
    }
    return v;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.kwargs[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') throw new EnvKwargValueError(this.id, name, 'true or false', v);
    return v;
  }

  /** A (low, high) range; null (JSON has no infinity) stands for -inf as low and +inf as high. */
  range(name: string, fallback: readonly [number, number]): readonly [number, number] {
    const v = this.kwargs[name];
    if (v === undefined) return fallback;
    const allowed = 'a pair [low, high] of numbers with low <= high (null: unbounded)';
    if (!Array.isArray(v) || v.length !== 2) throw new EnvKwargValueError(this.id, name, allowed, v);
    const [lo, hi] = v as unknown[];
    const low = lo === null ? -Infinity : lo;
    const high = hi === null ? Infinity : hi;
    if (typeof low !== 'number' || typeof high !== 'number' || Number.isNaN(low) || Number.isNaN(high) || low > high) {
      throw new EnvKwargValueError(this.id, name, allowed, v);
    }
    return [low, high];
  }

  /**
   * Gymnasium's `xml_file`: its default file name (or absent) gives the built-in model, any other
   * value is a path to an MJCF file, read here; MuJoCo must load it, with the built-in model's
   * numbers of bodies, qpos, qvel and actuators (the env reads them by position). Returns
   * [mjcf, source]: `BUILT_IN` or the path.
   */
  xmlFile(defaultName: string, builtIn: string): readonly [mjcf: string, source: string] {
    const v = this.kwargs.xml_file;
    if (v === undefined || v === defaultName) return [builtIn, BUILT_IN];
    if (typeof v !== 'string' || v === '') throw new EnvKwargValueError(this.id, 'xml_file', 'a path to an MJCF file', v);
    let mjcf: string;
    try {
      mjcf = readFileSync(v, 'utf8');
    } catch (e) {
      throw new EnvKwargValueError(this.id, 'xml_file', `a readable MJCF file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`, v);
    }
    let model: MjModel;
    try {
      model = compileModel(mjcf, v);
    } catch (e) {
      if (!(e instanceof MujocoModelError)) throw e;
      throw new EnvKwargValueError(this.id, 'xml_file', `an MJCF file MuJoCo loads (${e.reason})`, v);
    }
    const ref = compileModel(builtIn, BUILT_IN);
    const sizes = (m: MjModel): string => `nbody ${m.nbody}, nq ${m.nq}, nv ${m.nv}, nu ${m.nu}`;
    if (sizes(model) !== sizes(ref)) {
      throw new EnvKwargValueError(this.id, 'xml_file', `an MJCF file with the built-in model's ${sizes(ref)} (this one: ${sizes(model)})`, v);
    }
    return [mjcf, v];
  }
}
