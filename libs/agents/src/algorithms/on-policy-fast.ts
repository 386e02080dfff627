/**
 * The on-policy compute (on-policy-compute.ts) on the fast CPU path (`agent.net.backend: fast`):
 * separate MLPNet actor and critic as `FastMlp` nets with `FastAdam`, for PPO and ActorCritic
 * (A2C). The policy is Categorical for Discrete actions, a diagonal Gaussian for Box actions (a
 * log-scale head, or with `net.log_std_init` a learnable log-std kept in the actor's buffer as
 * `extraParams`, so the actor's clip_grad_val and Adam step cover it as in ActorCriticNets). A
 * minibatch step is one forward and one backward per net: the loss and its gradient w.r.t. the
 * policy outputs and V(s) from `ppoLossGrad` or `a2cLossGrad` with the policy's side
 * (CategoricalPolicyGrad, GaussianPolicyGrad), clip_grad_val per net (each net is its own
 * optimizer group, as ActorCriticNets has it) and one Adam step each. Initial weights and
 * checkpoint tensor names are those of the tfjs compute, so a run folder looks the same. What it
 * does not have is refused by `checkFastOnPolicySpec` with one NotBuiltError line.
 */
import { FastAdam, loadFastKernels, type FastMlp } from '@gymlab/backends';
import type { ActionBatch, BoxSpace, Space } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { NetSpec, OptimSpec, Spec } from '@gymlab/spec';
import { a2cLossGrad } from '../losses/a2c-grad.js';
import { CategoricalPolicyGrad, logSoftmaxAt } from '../losses/ppo-categorical-grad.js';
import { gaussianLogProbAt, GaussianPolicyGrad } from '../losses/ppo-gaussian-grad.js';
import { ppoLossGrad, type PpoPolicyGrad } from '../losses/ppo-grad.js';
import { buildFastMlp, fastLayerTensors, fastLayerWeights, restoreFastLayers, takeTensor, unbuiltOptimKey } from '../net/fast-mlp.js';
import type { TensorData } from '../net/types.js';
import { LrSchedule } from '../optim/lr-schedule.js';
import { Categorical, DiagGaussian, makeActionDist } from '../policy/action-dist.js';
import { LOG_SCALE_MAX, LOG_SCALE_MIN } from '../policy/distributions.js';
import { AgentConfigError, NotBuiltError, type Agent, type AgentContext } from '../types.js';
import { ActorCriticAgent, checkActorCriticSpec } from './actor-critic.js';
import { LOSS_TERMS, type OnPolicyCompute, type OnPolicyComputeOptions, type OnPolicyLossConfig, type OnPolicyMinibatch, type OnPolicyStepResult } from './on-policy-compute.js';
import { resolveOptimSpecs } from './on-policy-nets.js';
import { checkPpoSpec, PpoAgent } from './ppo.js';

function refuse(what: string): never {
  throw new NotBuiltError(`backend fast: ${what} not built yet`, 'it runs PPO and ActorCritic with separate MLPNet actor and critic (Adam/AdamW, OnPolicyBatchReplay); use another agent.net.backend');
}

function checkOptim(o: OptimSpec, key: string): void {
  const optim = unbuiltOptimKey(o);
  if (optim !== null) refuse(`agent.net.${key}.${optim}`);
}

/** Throws (one NotBuiltError line) when the fast path lacks what this on-policy spec asks for; run after the algorithm's own check. */
export function checkFastOnPolicySpec(spec: Spec): void {
  const { net, memory } = spec.agent;
  if (net.type !== 'MLPNet') refuse(`agent.net.type '${net.type}'`);
  if (net.shared) refuse('agent.net.shared true');
  if (net.batch_norm || net.layer_norm) refuse('MLPNet batch_norm/layer_norm');
  if (memory.name !== 'OnPolicyBatchReplay') refuse(`agent.memory.name '${memory.name}'`);
  const { actor, critic } = resolveOptimSpecs(net);
  checkOptim(actor, 'actor_optim_spec');
  if (critic !== null) checkOptim(critic, 'critic_optim_spec');
  for (const a of [net.hid_layers_activation, net.out_layer_activation ?? 'linear']) {
    if (a !== 'tanh' && a !== 'relu' && a !== 'linear') refuse(`activation '${a}'`);
  }
}

/** The fast path's check of PPO: PPO's, then what the fast path has. */
export function checkFastPpoSpec(spec: Spec, obs: BoxSpace, act: Space): void {
  checkPpoSpec(spec, obs, act);
  checkFastOnPolicySpec(spec);
}

/** The fast path's check of ActorCritic (A2C): ActorCritic's, then what the fast path has. */
export function checkFastActorCriticSpec(spec: Spec, obs: BoxSpace, act: Space): void {
  checkActorCriticSpec(spec, obs, act);
  checkFastOnPolicySpec(spec);
}

/** One net with its optimizer, lr schedule and clip_grad_val (an optimizer group of ActorCriticNets). */
interface FastGroup {
  readonly name: 'actor' | 'critic';
  readonly net: FastMlp;
  readonly opt: FastAdam;
  readonly schedule: LrSchedule;
}

function buildGroup(ctx: AgentContext, net: NetSpec, name: 'actor' | 'critic', seed: number, outputSize: number, outputGain: number | undefined, o: OptimSpec, sched: NetSpec['lr_scheduler_spec'], maxBatch: number, extraParams = 0): FastGroup {
  const kernels = ctx.backend.fast ?? loadFastKernels();
  const ortho = net.init_fn === 'orthogonal_';
  const mlp = buildFastMlp(kernels, {
    inputSize: ctx.observationSpace.size, hidden: net.hid_layers, activation: net.hid_layers_activation, outputSize, outputActivation: net.out_layer_activation,
    initFn: net.init_fn, seed, name, hiddenGain: ortho ? Math.SQRT2 : undefined, outputGain,
  }, maxBatch, extraParams);
  const opt = new FastAdam(mlp, { lr: o.lr, betas: o.betas ?? undefined, eps: o.eps ?? undefined, weightDecay: o.weight_decay ?? undefined, decoupled: o.name === 'AdamW' });
  return { name, net: mlp, opt, schedule: new LrSchedule(sched, o.lr) };
}

export class FastOnPolicyCompute implements OnPolicyCompute {
  readonly path = 'fast';
  readonly actionWidth: number;
  readonly actionSize: number;
  private readonly groups: readonly [FastGroup, FastGroup];
  private readonly dist: Categorical | DiagGaussian;
  /** Discrete actions: the number of actions; Box: 0. */
  private readonly numActions: number;
  /** Box actions: the dims, and the learnable log-std (a view of the actor's extra parameters) or null for a log-scale head. */
  private readonly gauss: { readonly d: number; readonly logStd: Float32Array | null } | null;
  private readonly obsSize: number;
  private readonly who: string;
  private readonly clipGradVal: number | null;
  private termSums: Float64Array | null = null;

  constructor({ ctx, netSeed, maxBatch, who }: OnPolicyComputeOptions) {
    const { spec, observationSpace: obs, actionSpace: act } = ctx;
    const net = spec.agent.net;
    this.who = who;
    this.clipGradVal = net.clip_grad_val;
    this.obsSize = obs.size;
    const d = act.kind === 'box' ? act.size : 0;
    const learnedStd = act.kind === 'box' && net.log_std_init !== null;
    this.numActions = act.kind === 'discrete' ? act.n : 0;
    // Discrete: the Categorical of action_pdtype (GumbelSoftmax acts by its Gumbel-max draw; its losses are the Categorical's)
    this.dist = act.kind === 'discrete' ? (makeActionDist(spec.agent.algorithm.action_pdtype, act, { who }) as Categorical) : new DiagGaussian({ d, logStd: null });
    this.actionWidth = act.kind === 'discrete' ? 1 : d;
    this.actionSize = this.actionWidth;
    const piSize = act.kind === 'discrete' ? act.n : learnedStd ? d : 2 * d;
    // ActorCriticNets' order: actor, then critic
    const netSeeds = new Rng(netSeed);
    const { actor, critic } = resolveOptimSpecs(net);
    const ortho = net.init_fn === 'orthogonal_';
    this.groups = [
      buildGroup(ctx, net, 'actor', netSeeds.deriveSeed(), piSize, net.actor_init_std ?? (ortho ? 0.01 : undefined), actor, net.actor_lr_scheduler_spec ?? net.lr_scheduler_spec, maxBatch, learnedStd ? d : 0),
      buildGroup(ctx, net, 'critic', netSeeds.deriveSeed(), 1, net.critic_init_std ?? (ortho ? 1 : undefined), critic ?? actor, net.critic_lr_scheduler_spec ?? net.lr_scheduler_spec, maxBatch),
    ];
    const pi = this.groups[0].net;
    if (learnedStd) pi.extra.fill(net.log_std_init ?? 0);
    this.gauss = act.kind === 'box' ? { d, logStd: learnedStd ? pi.extra : null } : null;
  }

  encodeActions(actions: Float32Array): Float32Array {
    return actions;
  }

  applyLr(frame: number): number {
    for (const g of this.groups) g.opt.lr = g.schedule.lrAt(frame, g.opt.stepCount);
    return this.groups[0].opt.lr;
  }

  act(obs: Float32Array, mode: 'train' | 'eval', rng: Rng): ActionBatch {
    const pi = this.groups[0].net;
    const rows = obs.length / this.obsSize;
    pi.input.set(obs);
    const out = pi.forward(rows);
    const params = this.gauss === null ? out : gaussianParams(out, rows, this.gauss.d, this.gauss.logStd);
    return mode === 'eval' ? this.dist.mode(params, rows) : this.dist.sample(params, rows, rng);
  }

  values(obs: Float32Array, nextObs: Float32Array, rows: number): Float32Array {
    const v = this.groups[1].net;
    const n = rows * this.obsSize;
    v.input.set(obs.subarray(0, n));
    v.input.set(nextObs.subarray(0, n), n);
    return v.forward(2 * rows);
  }

  logpAndValues(obs: Float32Array, nextObs: Float32Array, encoded: Float32Array, rows: number): Float32Array {
    const pi = this.groups[0].net;
    const M = rows;
    const out = new Float32Array(3 * M);
    pi.input.set(obs.subarray(0, M * this.obsSize));
    const z = pi.forward(M);
    const g = this.gauss;
    const n = this.numActions;
    for (let i = 0; i < M; i++) out[i] = g === null ? logSoftmaxAt(z, i * n, n, encoded[i]) : gaussianLogProbAt(z, encoded, g.logStd, g.d, i);
    out.set(this.values(obs, nextObs, M), M);
    return out;
  }

  step(mb: OnPolicyMinibatch, loss: OnPolicyLossConfig): OnPolicyStepResult {
    const [pi, v] = this.groups.map((g) => g.net);
    const k = mb.n;
    const obs = mb.obs.subarray(0, k * this.obsSize);
    pi.input.set(obs);
    v.input.set(obs);
    const policy = this.policyGrad(pi.forward(k), mb.actions);
    const value = v.forward(k);
    const common = { adv: mb.adv, value, ret: mb.ret, batch: k, valLossCoef: loss.valLossCoef, entropyCoef: loss.entropyCoef, lossSpec: loss.lossSpec };
    let total: number;
    let terms: number[];
    if (loss.kind === 'ppo') {
      const L = ppoLossGrad({ ...common, oldLogp: mb.oldLogp, oldValue: mb.oldValue, clipEps: loss.clipEps, clipVloss: loss.clipVloss }, policy, v.outputGrad);
      total = L.total;
      terms = [L.policy, L.value, L.entropy, L.approxKl, L.clipFraction];
    } else {
      const L = a2cLossGrad({ ...common, policyLossCoef: loss.policyLossCoef, valueScale: loss.valueScale }, policy, v.outputGrad);
      total = L.total;
      terms = [L.policy, L.value, L.entropy];
    }
    const clip = this.clipGradVal;
    let normSq = 0;
    let appliedSq = 0;
    for (const g of this.groups) {
      g.net.backward(k);
      const norm = clip === null ? g.net.gradNorm() : g.net.clipGradNorm(clip);
      const applied = clip === null ? norm : norm * Math.min(1, clip / (norm + 1e-6));
      normSq += norm * norm;
      appliedSq += applied * applied;
      g.opt.step();
    }
    const sums = (this.termSums ??= new Float64Array(LOSS_TERMS[loss.kind].length));
    terms.forEach((x, j) => (sums[j] += x));
    return { loss: total, gradNorm: Math.sqrt(normSq), applied: Math.sqrt(appliedSq) };
  }

  /** The policy's side of the loss on the actor's output, writing into the actor's output (and log-std) gradients. */
  private policyGrad(out: Float32Array, actions: Float32Array): PpoPolicyGrad {
    const pi = this.groups[0].net;
    const g = this.gauss;
    if (g === null) return new CategoricalPolicyGrad({ logits: out, actions, numActions: this.numActions }, pi.outputGrad);
    return new GaussianPolicyGrad({ out, actions, actionSize: g.d, logStd: g.logStd }, pi.outputGrad, g.logStd === null ? null : pi.extraGrad);
  }

  takeTermSums(kind: OnPolicyLossConfig['kind']): ArrayLike<number> {
    const sums = this.termSums ?? new Float64Array(LOSS_TERMS[kind].length);
    this.termSums = null;
    return sums;
  }

  /** The tfjs nets' tensor names: `actor|critic/l{i}/kernel|bias`, `actor/log_std`, `optim{0,1}/step|m|v`. */
  getState(): Record<string, TensorData> {
    const tensors = fastLayerTensors(this.named());
    const logStd = this.gauss?.logStd;
    if (logStd) tensors['actor/log_std'] = { shape: [logStd.length], data: logStd.slice() };
    this.groups.forEach((g, i) => {
      tensors[`optim${i}/step`] = { shape: [1], data: Float32Array.of(g.opt.stepCount) };
      g.net.slots.forEach((s, j) => (tensors[`optim${i}/${j === 0 ? 'm' : 'v'}`] = { shape: [s.length], data: s.slice() }));
    });
    return tensors;
  }

  setState(t: Readonly<Record<string, TensorData>>): void {
    const who = this.who;
    restoreFastLayers(t, this.named(), who);
    const logStd = this.gauss?.logStd;
    if (logStd) takeTensor(t, 'actor/log_std', logStd, who);
    this.groups.forEach((g, i) => {
      const step = t[`optim${i}/step`];
      if (step === undefined) throw new AgentConfigError(`${who} state has no tensor 'optim${i}/step'`);
      g.net.slots.forEach((s, j) => takeTensor(t, `optim${i}/${j === 0 ? 'm' : 'v'}`, s, who));
      g.opt.stepCount = step.data[0];
    });
  }

  weights(): Record<string, Float32Array> {
    const out = fastLayerWeights(this.named());
    const logStd = this.gauss?.logStd;
    if (logStd) out['actor/log_std'] = logStd.slice();
    return out;
  }

  dispose(): void {}

  private named(): [string, FastMlp][] {
    return this.groups.map((g) => [g.name, g.net]);
  }
}

export const fastOnPolicyCompute = (opts: OnPolicyComputeOptions): OnPolicyCompute => new FastOnPolicyCompute(opts);

/** The registry entries of PPO and ActorCritic on `agent.net.backend: fast`: the same agent classes on this compute. */
export const fastPpoEntry = {
  check: checkFastPpoSpec,
  create: (ctx: AgentContext): Agent => new PpoAgent(ctx, undefined, fastOnPolicyCompute),
};

export const fastActorCriticEntry = {
  check: checkFastActorCriticSpec,
  create: (ctx: AgentContext): Agent => new ActorCriticAgent(ctx, undefined, fastOnPolicyCompute),
};

/**
 * DiagGaussian's params [rows, 2d] (means, log-scales) from the actor's output: a log-scale head
 * clamped to [LOG_SCALE_MIN, LOG_SCALE_MAX], or the learnable log-std on every row (as the tfjs
 * dist.params does).
 */
function gaussianParams(out: Float32Array, rows: number, d: number, logStd: Float32Array | null): Float32Array {
  const params = new Float32Array(rows * 2 * d);
  const w = logStd === null ? 2 * d : d;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) {
      params[r * 2 * d + j] = out[r * w + j];
      params[r * 2 * d + d + j] = logStd === null ? Math.min(Math.max(out[r * w + d + j], LOG_SCALE_MIN), LOG_SCALE_MAX) : logStd[j];
    }
  }
  return params;
}
