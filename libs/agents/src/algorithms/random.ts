/**
 * SLM Lab's `Random` agent: the baseline every learning curve is read against. Each action is a
 * uniform draw from the env's action space (Gymnasium's `space.sample()`: a uniform integer for
 * Discrete, uniform on [low, high] per element for a bounded Box), from one seeded `Rng`, so a
 * seed gives the same actions on every backend. It has no nets and never trains: `update` returns
 * null, `weights()` is empty and the checkpoint is the generator's state.
 *
 * Spec: `agent.algorithm.name: Random`; every other algorithm key, the memory and `agent.net`
 * (SLM Lab's files write `net: {}`) are not read.
 */
import type { ActionBatch, BoxSpace, Space } from '@gymlab/envs';
import { RNG_STATE_SIZE, Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { AgentConfigError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';

/** Throws AgentConfigError (one line) when the Random agent cannot act in these spaces. */
export function checkRandomSpec(_spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void {
  if (observationSpace.size < 1) throw new AgentConfigError('Random: the observation space is empty');
  if (actionSpace.kind === 'box' && actionSpace.size < 1) throw new AgentConfigError('Random: the action space is empty');
}

export class RandomAgent implements Agent {
  readonly algorithmName = 'Random';
  private readonly space: Space;
  private readonly rng: Rng;
  private readonly obsSize: number;

  constructor(ctx: AgentContext) {
    checkRandomSpec(ctx.spec, ctx.observationSpace, ctx.actionSpace);
    this.space = ctx.actionSpace;
    this.obsSize = ctx.observationSpace.size;
    this.rng = new Rng(ctx.seed);
  }

  /** One uniform sample of the action space per observation row, in train and eval mode alike. */
  act(obs: Float32Array, _mode: 'train' | 'eval'): ActionBatch {
    const space = this.space;
    return space.kind === 'discrete' ? sampleDiscrete(space, this.rows(obs), this.rng) : sampleBox(space, this.rows(obs), this.rng);
  }

  /** Nothing to learn. */
  update(_transitions: Transitions, _frame: number): TrainStats | null {
    return null;
  }

  scalars(): AgentScalars {
    return { lr: null, entropy: null, exploreVar: null };
  }

  getState(): AgentState {
    return { algorithm: this.algorithmName, tensors: {}, meta: { rng: this.rng.getState() } };
  }

  /** The generator is all a Random agent carries. */
  resumeState(): AgentState {
    return this.getState();
  }

  setState(state: AgentState): void {
    if (state.algorithm !== this.algorithmName) throw new AgentConfigError(`cannot load a ${state.algorithm} state into a Random agent`);
    const rng = state.meta.rng;
    if (!Array.isArray(rng) || rng.length !== RNG_STATE_SIZE) throw new AgentConfigError(`Random state meta 'rng' must be ${RNG_STATE_SIZE} numbers`);
    this.rng.setState(rng as readonly number[]);
  }

  weights(): Readonly<Record<string, Float32Array>> {
    return {};
  }

  dispose(): void {}

  private rows(obs: Float32Array): number {
    return obs.length / this.obsSize;
  }
}

function sampleDiscrete(space: Extract<Space, { kind: 'discrete' }>, rows: number, rng: Rng): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = space.sample(rng);
  return out;
}

function sampleBox(space: BoxSpace, rows: number, rng: Rng): Float32Array {
  const out = new Float32Array(rows * space.size);
  for (let r = 0; r < rows; r++) out.set(space.sample(rng), r * space.size);
  return out;
}

export const randomEntry = {
  check: checkRandomSpec,
  create: (ctx: AgentContext): Agent => new RandomAgent(ctx),
};
