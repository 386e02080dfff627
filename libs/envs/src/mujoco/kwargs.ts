/**
 * Keyword arguments of the MuJoCo envs (Gymnasium v5's constructor arguments), read with their
 * defaults and checked: a wrong value fails with one line naming the env, the argument and what
 * is allowed.
 */
import { readFileSync } from 'node:fs';
import { EnvKwargValueError, type EnvKwargs } from '../registry.js';
import { builtInModel } from './models.js';
import { MujocoModelError, compileModel, type MjModel } from './runtime.js';

/** Reads an env's kwargs, each with Gymnasium's default when absent. */
export class KwargReader {
  constructor(
    readonly id: string,
    private readonly kwargs: EnvKwargs,
    /** The names the env takes (for the error). */
    private readonly accepted: readonly string[],
  ) {}

  number(name: string, fallback: number): number {
    const v = this.kwargs[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new EnvKwargValueError(this.id, name, 'a finite number', v, this.accepted);
    return v;
  }

  nonNegative(name: string, fallback: number): number {
    const v = this.number(name, fallback);
    if (v < 0) throw new EnvKwargValueError(this.id, name, 'a number >= 0', v, this.accepted);
    return v;
  }

  positiveInt(name: string, fallback: number): number {
    const v = this.kwargs[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1000) {
      throw new EnvKwargValueError(this.id, name, 'an integer in [1, 1000]', v, this.accepted);
    }
    return v;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.kwargs[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') throw new EnvKwargValueError(this.id, name, 'true or false', v, this.accepted);
    return v;
  }

  /** A (low, high) range; null (JSON has no infinity) stands for -inf as low and +inf as high. */
  range(name: string, fallback: readonly [number, number]): readonly [number, number] {
    const v = this.kwargs[name];
    if (v === undefined) return fallback;
    const allowed = 'a pair [low, high] of numbers with low <= high (null: unbounded)';
    if (!Array.isArray(v) || v.length !== 2) throw new EnvKwargValueError(this.id, name, allowed, v, this.accepted);
    const [lo, hi] = v as unknown[];
    const low = lo === null ? -Infinity : lo;
    const high = hi === null ? Infinity : hi;
    if (typeof low !== 'number' || typeof high !== 'number' || Number.isNaN(low) || Number.isNaN(high) || low > high) {
      throw new EnvKwargValueError(this.id, name, allowed, v, this.accepted);
    }
    return [low, high];
  }

  /**
   * Gymnasium's `xml_file`: its default file name (or absent) gives the built-in model of that name
   * (`assets/mujoco/`), any other value is a path to an MJCF file, read here; MuJoCo must load it,
   * with the built-in model's numbers of bodies, qpos, qvel and actuators (the env reads them by
   * position). Returns [mjcf, source]: `built-in NAME` or the path.
   */
  xmlFile(defaultName: string): readonly [mjcf: string, source: string] {
    const v = this.kwargs.xml_file;
    const builtIn = builtInModel(defaultName);
    const builtInSource = `built-in ${defaultName}`;
    if (v === undefined || v === defaultName) return [builtIn, builtInSource];
    if (typeof v !== 'string' || v === '') throw new EnvKwargValueError(this.id, 'xml_file', 'a path to an MJCF file', v, this.accepted);
    let mjcf: string;
    try {
      mjcf = readFileSync(v, 'utf8');
    } catch (e) {
      throw new EnvKwargValueError(this.id, 'xml_file', `a readable MJCF file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`, v, this.accepted);
    }
    let model: MjModel;
    try {
      model = compileModel(mjcf, v);
    } catch (e) {
      if (!(e instanceof MujocoModelError)) throw e;
      throw new EnvKwargValueError(this.id, 'xml_file', `an MJCF file MuJoCo loads (${e.reason})`, v, this.accepted);
    }
    const ref = compileModel(builtIn, builtInSource);
    const sizes = (m: MjModel): string => `nbody ${m.nbody}, nq ${m.nq}, nv ${m.nv}, nu ${m.nu}`;
    if (sizes(model) !== sizes(ref)) {
      throw new EnvKwargValueError(this.id, 'xml_file', `an MJCF file with the built-in model's ${sizes(ref)} (this one: ${sizes(model)})`, v, this.accepted);
    }
    return [mjcf, v];
  }
}
