/**
 * SLM Lab's parallel training (`meta.distributed`), on parameters in SharedArrayBuffers.
 *
 * Every optimizer of a global net owns one region: its flat parameters [P], its flat optimizer
 * slots (Adam's m and v, RMSprop's square average, ...) [k * P] and the initial parameters [P],
 * Float32. A control array
 * (Int32) holds each region's shared step count, the synced mode's turn, the workers' done flags and
 * a stop flag. The buffers are made once per trial (`allocateSharedParams`) from a plan recorded
 * while one agent is built (`PlanRecorder`), and handed to every worker thread.
 *
 * - `shared` (Hogwild): before each gradient computation a worker reads the global parameters into
 *   its nets; its step reads the global slots and step count, applies the update rule and writes
 *   parameters and slots back, with no lock (concurrent steps may overwrite each other's writes, as
 *   Hogwild allows). Not seed-deterministic.
 * - `synced`: each worker computes gradients at the parameters it pulled after its last step (before
 *   its first step: its own nets as built from its seed, as in SLM Lab, whose workers sync only
 *   after a push); its step waits for its turn (round robin over the workers that have not
 *   finished), applies the update to the global parameters and slots, and pulls the result. The
 *   order of steps is fixed, so a run is seed-deterministic.
 *
 * SLM Lab steps the global net only with its `Global*` optimizers; here every optimizer of a
 * global net keeps its state in the shared region, which is what SLM Lab's synced mode intends.
 */
import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { TensorData } from '../net/types.js';
import { flatten, type Optimizer } from '../optim/optimizers.js';

export type DistributedMode = 'shared' | 'synced';

/** What a spec's `meta.distributed` asks for; false: none. */
export function distributedModeOf(value: boolean | string): DistributedMode | null {
  return value === 'shared' || value === 'synced' ? value : null;
}

/** Whether runs of this mode repeat exactly from the same seed. */
export function isDeterministicMode(mode: DistributedMode | null): boolean {
  return mode !== 'shared';
}

/** One global net's optimizer: parameter count, slot names, and its parameters at the start. */
export interface RegionPlan {
  readonly size: number;
  readonly slots: readonly string[];
  readonly init: Float32Array;
}

/** The buffers every worker shares; structured-cloneable (SharedArrayBuffers are shared, not copied). */
export interface SharedParams {
  readonly mode: DistributedMode;
  readonly workers: number;
  readonly regions: readonly { readonly size: number; readonly slots: readonly string[]; readonly data: SharedArrayBuffer }[];
  readonly control: SharedArrayBuffer;
}

/** Control array layout (Int32). */
const TURN = 0;
const STOP = 1;
const HEADER = 2;

/** Hands an agent's optimizers to the shared parameters; every worker builds the same agent, so the same calls in the same order. */
export interface ParamSharing {
  /** Wraps the optimizer of one global net (its variables are the net's parameters). */
  share(tf: Tf, optimizer: Optimizer): Optimizer;
}

/** Reads the flat parameters of `vars` (in order). */
function readVars(vars: readonly Variable[]): Float32Array {
  const total = vars.reduce((n, v) => n + v.size, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const v of vars) {
    out.set(v.dataSync() as Float32Array, at);
    at += v.size;
  }
  return out;
}

/** Writes the flat `data` into `vars` (in order). */
function writeVars(tf: Tf, vars: readonly Variable[], data: Float32Array): void {
  let at = 0;
  tf.tidy(() => {
    for (const v of vars) {
      v.assign(tf.tensor(data.slice(at, at + v.size), v.shape));
      at += v.size;
    }
  });
}

/** Slot names of an optimizer, from its state's keys (`p/step` aside). */
function slotNames(optimizer: Optimizer): string[] {
  return Object.keys(optimizer.getState('p'))
    .map((k) => k.slice(2))
    .filter((k) => k !== 'step');
}

/** Records the regions an agent's optimizers need, and their initial parameters; changes nothing. */
export class PlanRecorder implements ParamSharing {
  readonly regions: RegionPlan[] = [];

  share(_tf: Tf, optimizer: Optimizer): Optimizer {
    const init = readVars(optimizer.vars);
    this.regions.push({ size: init.length, slots: slotNames(optimizer), init });
    return optimizer;
  }
}

/** The shared buffers for `workers` workers from a recorded plan: parameters from the plan, slots and steps zero. */
export function allocateSharedParams(mode: DistributedMode, workers: number, plan: readonly RegionPlan[]): SharedParams {
  const regions = plan.map((r) => {
    const data = new SharedArrayBuffer(4 * r.size * (2 + r.slots.length));
    new Float32Array(data, 0, r.size).set(r.init);
    new Float32Array(data, 4 * r.size * (1 + r.slots.length), r.size).set(r.init);
    return { size: r.size, slots: [...r.slots], data };
  });
  const control = new SharedArrayBuffer(4 * (HEADER + plan.length + workers));
  return { mode, workers, regions, control };
}

/** Asks every worker to stop: a waiting step returns without stepping (the sessions stop at their next yield). */
export function stopSharedParams(shared: SharedParams): void {
  const ctrl = new Int32Array(shared.control);
  Atomics.store(ctrl, STOP, 1);
  Atomics.notify(ctrl, TURN);
}

/** Milliseconds between looks at the stop flag while a synced worker waits for its turn. */
const WAIT_SLICE_MS = 200;

/** One worker's view of the shared buffers. */
export class WorkerSharing implements ParamSharing {
  private readonly ctrl: Int32Array;
  private next = 0;

  constructor(
    readonly shared: SharedParams,
    readonly worker: number,
  ) {
    if (!(worker >= 0 && worker < shared.workers)) throw new RangeError(`worker ${worker} outside 0..${shared.workers - 1}`);
    this.ctrl = new Int32Array(shared.control);
  }

  get mode(): DistributedMode {
    return this.shared.mode;
  }

  share(tf: Tf, optimizer: Optimizer): Optimizer {
    const index = this.next++;
    const region = this.shared.regions[index];
    if (region === undefined) throw new Error(`distributed: the agent has more global nets than the plan (${this.shared.regions.length})`);
    const size = optimizer.vars.reduce((n, v) => n + v.size, 0);
    const slots = slotNames(optimizer);
    if (size !== region.size || slots.join() !== region.slots.join()) throw new Error(`distributed: global net ${index} differs from the plan`);
    return new GlobalOptimizer(tf, optimizer, this, index);
  }

  /** The stop flag is set. */
  stopped(): boolean {
    return Atomics.load(this.ctrl, STOP) !== 0;
  }

  /** Region `i`'s parameters, slots and initial parameters, viewed as Float32. */
  view(i: number): { params: Float32Array; slots: Float32Array[]; init: Float32Array } {
    const r = this.shared.regions[i];
    return {
      params: new Float32Array(r.data, 0, r.size),
      slots: r.slots.map((_, j) => new Float32Array(r.data, 4 * r.size * (1 + j), r.size)),
      init: new Float32Array(r.data, 4 * r.size * (1 + r.slots.length), r.size),
    };
  }

  /** Region `i`'s step count, plus one (the step being taken). */
  nextStep(i: number): number {
    return Atomics.add(this.ctrl, HEADER + i, 1) + 1;
  }

  private done(w: number): boolean {
    return Atomics.load(this.ctrl, HEADER + this.shared.regions.length + w) !== 0;
  }

  /** While the turn points at a finished worker, move it to the next one that has not finished. */
  private settle(): void {
    const n = this.shared.workers;
    for (;;) {
      const t = Atomics.load(this.ctrl, TURN);
      if (!this.done(t)) return;
      let next = -1;
      for (let k = 1; k <= n; k++) {
        if (!this.done((t + k) % n)) {
          next = (t + k) % n;
          break;
        }
      }
      if (next === -1) return;
      if (Atomics.compareExchange(this.ctrl, TURN, t, next) === t) Atomics.notify(this.ctrl, TURN);
    }
  }

  /** Synced: blocks until this worker's turn; false when stopped meanwhile. */
  acquire(): boolean {
    for (;;) {
      if (this.stopped()) return false;
      const t = Atomics.load(this.ctrl, TURN);
      if (t === this.worker) return true;
      Atomics.wait(this.ctrl, TURN, t, WAIT_SLICE_MS);
    }
  }

  /** Synced: passes the turn to the next worker (round robin, finished workers skipped). */
  release(): void {
    Atomics.store(this.ctrl, TURN, (this.worker + 1) % this.shared.workers);
    Atomics.notify(this.ctrl, TURN);
    this.settle();
  }

  /** This worker takes no more steps (its session ended or failed): the others stop waiting for it. */
  finish(): void {
    Atomics.store(this.ctrl, HEADER + this.shared.regions.length + this.worker, 1);
    this.settle();
  }
}

/**
 * The optimizer of one global net in one worker: the update rule is the wrapped optimizer's (torch
 * semantics, lr set by the worker's own schedule); parameters, slots and step count live in the
 * shared region. The worker's variables hold the global parameters as of its last pull. Before
 * that: `synced`, the worker's own nets as built from its seed (SLM Lab's `train_step` copies the
 * global net into the local one only after a push, and `set_global_nets` copies nothing, so a
 * worker's first episode and first gradient are its own net's); `shared`, the global net's
 * initial parameters (SLM Lab's Hogwild worker acts on the global net itself). Never the current
 * global parameters: a worker that starts late must not see the steps of one that started early,
 * or runs would depend on timing.
 */
export class GlobalOptimizer implements Optimizer {
  private readonly slotNames: readonly string[];

  constructor(
    private readonly tf: Tf,
    private readonly inner: Optimizer,
    private readonly sharing: WorkerSharing,
    private readonly region: number,
  ) {
    this.slotNames = sharing.shared.regions[region].slots;
    if (sharing.mode === 'shared') writeVars(tf, inner.vars, sharing.view(region).init);
  }

  get name(): Optimizer['name'] {
    return this.inner.name;
  }

  get lr(): number {
    return this.inner.lr;
  }

  set lr(value: number) {
    this.inner.lr = value;
  }

  get vars(): readonly Variable[] {
    return this.inner.vars;
  }

  get stepCount(): number {
    return this.inner.stepCount;
  }

  /** Hogwild: the gradient is taken at the global parameters as they are now. */
  beforeGradients(): void {
    if (this.sharing.mode === 'shared') this.pull();
  }

  /** Copies the global parameters into this worker's variables. */
  pull(): void {
    writeVars(this.tf, this.inner.vars, this.sharing.view(this.region).params);
  }

  apply(grads: readonly Tensor[]): void {
    this.tf.tidy(() => this.applyFlat(flatten(this.tf, grads)));
  }

  applyFlat(g: Tensor): void {
    const synced = this.sharing.mode === 'synced';
    if (synced && !this.sharing.acquire()) return;
    try {
      if (this.sharing.stopped()) return;
      this.stepGlobal(g);
    } finally {
      if (synced) this.sharing.release();
    }
  }

  /** Global state -> the wrapped optimizer and the variables, one step, then back. */
  private stepGlobal(g: Tensor): void {
    const { params, slots } = this.sharing.view(this.region);
    const step = this.sharing.nextStep(this.region);
    const state: Record<string, TensorData> = { 'p/step': { shape: [1], data: Float32Array.of(step - 1) } };
    this.slotNames.forEach((s, j) => {
      state[`p/${s}`] = { shape: [slots[j].length], data: slots[j].slice() };
    });
    this.inner.setState('p', state);
    writeVars(this.tf, this.inner.vars, params);
    this.inner.applyFlat(g);
    params.set(readVars(this.inner.vars));
    const after = this.inner.getState('p');
    this.slotNames.forEach((s, j) => slots[j].set(after[`p/${s}`].data));
  }

  getState(prefix: string): Record<string, TensorData> {
    return this.inner.getState(prefix);
  }

  setState(prefix: string, state: Readonly<Record<string, TensorData>>): void {
    this.inner.setState(prefix, state);
  }

  dispose(): void {
    this.inner.dispose();
  }
}
