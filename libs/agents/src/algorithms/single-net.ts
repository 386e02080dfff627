/**
 * One net trained by one optimizer, as SLM Lab's SARSA and REINFORCE have it: the net of
 * `agent.net` (its `optim_spec`, `lr_scheduler_spec` and `clip_grad_val`), a step that applies the
 * lr schedule, computes the gradients, clips them by global norm and updates, and the dev-mode
 * check of SLM Lab's `dev_check_train_step`.
 */
import type { Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { RNG_STATE_SIZE, type Rng } from '@gymlab/random';
import type { NetSpec } from '@gymlab/spec';
import { buildNet, checkNetSpec, type NetRole } from '../net/factory.js';
import type { NetModule } from '../net/types.js';
import { minimize, type StepResult } from '../optim/minimize.js';
import { LrSchedule } from '../optim/lr-schedule.js';
import { makeOptimizer, type LossFn, type Optimizer } from '../optim/optimizers.js';
import { AgentCheckError, AgentConfigError, type AgentState } from '../types.js';

/** Largest global gradient norm the dev checks accept (SLM Lab's dev_check_train_step bound). */
export const MAX_DEV_GRAD_NORM = 1e5;

/**
 * Throws NotBuiltError for a net type gymlab cannot build for this input yet, AgentConfigError for
 * a net that does not fit or a missing optimizer (one line each).
 */
export function checkSingleNetSpec(algorithm: string, net: NetSpec, inputShape: readonly number[], role: NetRole): void {
  checkNetSpec(net, inputShape, role);
  if (net.optim_spec === null) throw new AgentConfigError(`${algorithm}: agent.net.optim_spec is needed`);
}

/** The net `agent.net` describes (any type the net factory builds), [B, ...inputShape] -> [B, outputSize]. */
export function makeNet(tf: Tf, net: NetSpec, inputShape: readonly number[], outputSize: number, seed: number, name: string): NetModule {
  return buildNet(tf, net, inputShape, { name, seed, output: { size: outputSize, activation: net.out_layer_activation } });
}

export class SingleNet {
  readonly net: NetModule;
  private readonly optimizer: Optimizer;
  private readonly schedule: LrSchedule;
  private readonly clipGradVal: number | null;

  constructor(
    private readonly tf: Tf,
    private readonly algorithm: string,
    spec: NetSpec,
    inputShape: readonly number[],
    outputSize: number,
    seed: number,
    role: NetRole,
  ) {
    checkSingleNetSpec(algorithm, spec, inputShape, role);
    const optimSpec = spec.optim_spec;
    if (optimSpec === null) throw new Error('unreachable: checked above');
    this.net = makeNet(tf, spec, inputShape, outputSize, seed, 'net');
    this.optimizer = makeOptimizer(tf, optimSpec, this.net.variables as Variable[]);
    this.schedule = new LrSchedule(spec.lr_scheduler_spec, optimSpec.lr);
    this.clipGradVal = spec.clip_grad_val;
  }

  get lr(): number {
    return this.optimizer.lr;
  }

  /**
   * One optimizer step on `lossFn` at env frame `frame`: the lr schedule, gradients, global-norm
   * clipping by `clip_grad_val`, the update. With `devCheck`, throws AgentCheckError when the loss
   * or gradient norm is not finite, the norm reaches MAX_DEV_GRAD_NORM, or no weight moved.
   */
  step(lossFn: LossFn, frame: number, devCheck: boolean): StepResult {
    this.schedule.apply([this.optimizer], frame);
    const before = devCheck ? this.net.namedWeights() : null;
    const r = minimize(this.tf, this.optimizer, lossFn, this.net.variables as Variable[], this.clipGradVal);
    if (before !== null) this.devCheck(before, r);
    return r;
  }

  /** The agent's checkpoint: weights and optimizer state (`optim/...`), `meta` with the lr, the generator's state and `extra`. */
  agentState(rng: Rng, extra: AgentState['meta'] = {}): AgentState {
    return {
      algorithm: this.algorithm,
      tensors: { ...this.net.getState(), ...this.optimizer.getState('optim') },
      meta: { ...extra, lr: this.optimizer.lr, rng: rng.getState() },
    };
  }

  /** Loads an `agentState()` of this algorithm into the net, the optimizer and `rng`; returns its meta for the agent's own keys. */
  restore(state: AgentState, rng: Rng): AgentState['meta'] {
    const who = this.algorithm;
    if (state.algorithm !== who) throw new AgentConfigError(`cannot load a ${state.algorithm} state into a ${who} agent`);
    const m = state.meta;
    if (!Array.isArray(m.rng) || m.rng.length !== RNG_STATE_SIZE) throw new AgentConfigError(`${who} state meta 'rng' must be ${RNG_STATE_SIZE} numbers`);
    this.net.setState(state.tensors);
    this.optimizer.setState('optim', state.tensors);
    if (typeof m.lr === 'number') this.optimizer.lr = m.lr;
    rng.setState(m.rng as readonly number[]);
    return m;
  }

  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
  }

  private devCheck(before: Readonly<Record<string, Float32Array>>, r: StepResult): void {
    const name = this.algorithm;
    if (!Number.isFinite(r.loss)) throw new AgentCheckError(`${name}: loss is ${r.loss} after an update`);
    if (!Number.isFinite(r.gradNorm) || r.gradNorm >= MAX_DEV_GRAD_NORM) {
      throw new AgentCheckError(`${name}: gradient norm ${r.gradNorm} is not finite or exceeds ${MAX_DEV_GRAD_NORM}`);
    }
    if (r.loss === 0 && r.gradNorm === 0) return;
    const after = this.net.namedWeights();
    const moved = Object.entries(after).some(([k, w]) => w.some((x, i) => x !== before[k][i]));
    if (!moved) throw new AgentCheckError(`${name}: parameters did not change in a training step (loss ${r.loss})`);
  }
}
