/**
 * The MuJoCo runtime: the `@mujoco/mujoco` 3.14.0 WebAssembly module, compiled models shared by
 * every env built from the same MJCF, and typed-array views into an `MjData` that are fetched once
 * and fetched again only when the wasm heap has grown (growth detaches the old views).
 *
 * The module's factory is asynchronous while `makeEnv` is not, and loading it costs ~0.4 s of CPU:
 * it is loaded on demand, once per process, by `loadMujocoRuntime()`, which the MuJoCo envs'
 * registration declares as their `prepare` step (`await prepareEnv(id)` before `makeEnv(id)`).
 * A process that never makes a MuJoCo env never loads it.
 */
import loadMujoco, { type MainModule, type MjData, type MjModel } from '@mujoco/mujoco';

export type { MainModule, MjData, MjModel };

/**
 * The loaded MuJoCo module. Its stderr lines pass through, except emscripten's "Cannot enlarge
 * memory" notes when the heap is full: `MujocoMemoryError` says that in one line.
 */
let runtime: MainModule | null = null;
let loading: Promise<MainModule> | null = null;

/** Loads the MuJoCo module (once per process; later calls return the same promise). */
export function loadMujocoRuntime(): Promise<MainModule> {
  loading ??= loadMujoco({
    printErr: (text: string) => {
      if (!text.startsWith('Cannot enlarge memory')) process.stderr.write(`${text}\n`);
    },
  }).then((m) => (runtime = m));
  return loading;
}

/** A MuJoCo env made before its runtime was loaded: a caller's mistake, named in one line. */
export class MujocoNotLoadedError extends Error {
  override readonly name = 'MujocoNotLoadedError';
  constructor(source: string) {
    super(`MuJoCo model ${source}: the MuJoCo runtime is not loaded yet: await prepareEnv(id) (or loadMujocoRuntime()) before makeEnv`);
  }
}

/** The loaded MuJoCo module; throws `MujocoNotLoadedError` (naming `source`) before `loadMujocoRuntime()` resolved. */
export function mujocoRuntime(source: string): MainModule {
  if (runtime === null) throw new MujocoNotLoadedError(source);
  return runtime;
}

/** An MJCF that MuJoCo refuses (one line: which model and MuJoCo's reason). */
export class MujocoModelError extends Error {
  override readonly name = 'MujocoModelError';
  /** MuJoCo's reason, first line. */
  readonly reason: string;

  constructor(
    readonly source: string,
    reason: string,
  ) {
    const line = reason.split('\n')[0];
    super(`MuJoCo model ${source}: ${line}`);
    this.reason = line;
  }
}

/**
 * Compiled models by MJCF text. A model is never changed after compilation, so all envs (and all
 * sub-envs of a vector env) built from one MJCF share one `MjModel`; each has its own `MjData`.
 */
const compiled = new Map<string, MjModel>();

/** The shared `MjModel` of `mjcf` (`source` names it in errors: a built-in id or a file path). */
export function compileModel(mjcf: string, source: string): MjModel {
  let model = compiled.get(mjcf);
  if (model === undefined) {
    try {
      model = mujocoRuntime(source).MjModel.from_xml_string(mjcf);
    } catch (e) {
      throw new MujocoModelError(source, e instanceof Error ? e.message : String(e));
    }
    compiled.set(mjcf, model);
  }
  return model;
}

/** Index of the body `name` in `model`; throws naming the model when absent. */
export function bodyId(model: MjModel, name: string, source: string): number {
  const mujoco = mujocoRuntime(source);
  const id = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY.value, name);
  if (id < 0) throw new MujocoModelError(source, `no body named '${name}'`);
  return id;
}

/** The `MjData` arrays the envs read and write, as live views into the wasm heap. */
export class DataViews {
  qpos!: Float64Array;
  qvel!: Float64Array;
  ctrl!: Float64Array;
  /** Body positions [nbody * 3]. */
  xpos!: Float64Array;
  /** Site positions [nsite * 3]. */
  siteXpos!: Float64Array;
  /** Body inertias in com frame [nbody * 10]. */
  cinert!: Float64Array;
  /** Body velocities in com frame [nbody * 6]. */
  cvel!: Float64Array;
  /** External contact forces [nbody * 6]. */
  cfrcExt!: Float64Array;
  qfrcActuator!: Float64Array;
  qfrcConstraint!: Float64Array;
  /** Subtree centres of mass [nbody * 3]. */
  subtreeCom!: Float64Array;
  /** Body centres of mass [nbody * 3]. */
  xipos!: Float64Array;
  tenLength!: Float64Array;
  tenVelocity!: Float64Array;

  constructor(private readonly data: MjData) {
    this.fetch();
  }

  /** Fetches the views again if the heap grew since (a detached view has byteLength 0). */
  refresh(): void {
    if (this.qpos.byteLength === 0 || this.ctrl.byteLength === 0) this.fetch();
  }

  private fetch(): void {
    const d = this.data;
    this.qpos = d.qpos as Float64Array;
    this.qvel = d.qvel as Float64Array;
    this.ctrl = d.ctrl as Float64Array;
    this.xpos = d.xpos as Float64Array;
    this.siteXpos = d.site_xpos as Float64Array;
    this.cinert = d.cinert as Float64Array;
    this.cvel = d.cvel as Float64Array;
    this.cfrcExt = d.cfrc_ext as Float64Array;
    this.qfrcActuator = d.qfrc_actuator as Float64Array;
    this.qfrcConstraint = d.qfrc_constraint as Float64Array;
    this.subtreeCom = d.subtree_com as Float64Array;
    this.xipos = d.xipos as Float64Array;
    this.tenLength = d.ten_length as Float64Array;
    this.tenVelocity = d.ten_velocity as Float64Array;
  }
}
