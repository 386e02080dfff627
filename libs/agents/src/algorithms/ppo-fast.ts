/**
 * PPO on the fast CPU path (`agent.net.backend: fast`): the same algorithm as `PpoAgent` (ppo.ts)
 * with separate MLPNet actor and critic, computed by `FastMlp` nets with `FastAdam` instead of
 * TensorFlow.js. The policy is Categorical for Discrete actions, a diagonal Gaussian for Box actions
 * (a log-scale head, or with `net.log_std_init` a learnable log-std kept in the actor's buffer as
 * `extraParams`, so the actor's clip_grad_val and Adam step cover it as in ActorCriticNets). Each
 * minibatch step is one forward and one backward per net, the loss and its gradient w.r.t. the
 * policy outputs and V(s) from `ppoCategoricalLossGrad` / `ppoGaussianLossGrad`, clip_grad_val
 * per net (each net is its own optimizer group, as ActorCriticNets has it) and one Adam step each.
 * Seeds, initial weights, GAE (`ppoTargets`), minibatch order, schedules, checkpoint tensor and
 * meta names are those of `PpoAgent`, so a run folder looks the same. What it does not have is
 * refused by `checkFastPpoSpec` with one NotBuiltError line.
 */
import { FastAdam, loadFastKernels, type FastMlp } from '@gymlab/backends';
import type { ActionBatch, BoxSpace, Space } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { DecaySpec, NetSpec, OptimSpec, Spec } from '@gymlab/spec';
import { logSoftmaxAt, ppoCategoricalLossGrad } from '../losses/ppo-categorical-grad.js';
import { gaussianLogProbAt, ppoGaussianLossGrad } from '../losses/ppo-gaussian-grad.js';
import type { PpoGradInput, PpoLossValues } from '../losses/ppo-grad.js';
import { gatherRows, MinibatchIterator } from '../memory/minibatch.js';
import { OnPolicyMemory } from '../memory/on-policy.js';
import { buildFastMlp } from '../net/fast-mlp.js';
import type { TensorData } from '../net/types.js';
import { LrSchedule } from '../optim/lr-schedule.js';
import { Categorical, DiagGaussian, makeActionDist } from '../policy/action-dist.js';
import { LOG_SCALE_MAX, LOG_SCALE_MIN } from '../policy/distributions.js';
import { decayValue } from '../schedule/decay.js';
import { AgentConfigError, NotBuiltError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { checkUpdate, commonMeta, memoryMeta, metaNumbers, restoreMemoryMeta, restoreOnPolicyMeta, type OnPolicyCommonState } from './on-policy-common.js';
import { resolveOptimSpecs } from './on-policy-nets.js';
import { advantageNormalization, PercentileNormalizer, RunningMeanStd, standardize } from './on-policy-stats.js';
import { checkPpoSpec, ppoMinibatchSize, ppoTargets } from './ppo.js';

function refuse(what: string): never {
  throw new NotBuiltError(`backend fast: ${what} not built yet`, 'it runs PPO with separate MLPNet actor and critic (Adam/AdamW, OnPolicyBatchReplay); use another agent.net.backend');
}

function checkOptim(o: OptimSpec, key: string): void {
  if (o.name !== 'Adam' && o.name !== 'AdamW') refuse(`agent.net.${key}.name '${o.name}'`);
  if (o.amsgrad === true) refuse(`agent.net.${key}.amsgrad`);
}

/** Throws (one line) when the fast path cannot run this PPO spec: the PPO checks, then what the fast path has. */
export function checkFastPpoSpec(spec: Spec, obs: BoxSpace, act: Space): void {
  checkPpoSpec(spec, obs, act);
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

export class FastPpoAgent implements Agent {
  readonly algorithmName = 'PPO';
  private readonly groups: readonly [FastGroup, FastGroup];
  private readonly dist: Categorical | DiagGaussian;
  /** Discrete actions: the number of actions; Box: 0. */
  private readonly numActions: number;
  /** Box actions: the dims, and the learnable log-std (a view of the actor's extra parameters) or null for a log-scale head. */
  private readonly gauss: { readonly d: number; readonly logStd: Float32Array | null } | null;
  /** Numbers stored per action: 1 (an index) or d. */
  private readonly actionWidth: number;
  private readonly memory: OnPolicyMemory;
  private readonly obsSize: number;
  private readonly actRng: Rng;
  private readonly trainRng: Rng;
  private readonly minibatches: MinibatchIterator;
  private readonly vRms = new RunningMeanStd();
  private readonly percentile = new PercentileNormalizer();
  private readonly clipEpsSpec: DecaySpec;
  private readonly lam: number;
  private lastEntropy: number | null = null;
  private lastLr: number;

  constructor(private readonly ctx: AgentContext) {
    const { spec, observationSpace: obs, actionSpace: act } = ctx;
    checkFastPpoSpec(spec, obs, act);
    const { algorithm: a, net } = spec.agent;
    const { clip_eps_spec: clipEpsSpec, lam } = a;
    if (clipEpsSpec === null || lam === null) throw new Error('unreachable: checked above');
    this.clipEpsSpec = clipEpsSpec;
    this.lam = lam;
    this.obsSize = obs.size;
    const d = act.kind === 'box' ? act.size : 0;
    const learnedStd = act.kind === 'box' && net.log_std_init !== null;
    this.numActions = act.kind === 'discrete' ? act.n : 0;
    this.dist = act.kind === 'discrete' ? (makeActionDist(spec.agent.algorithm.action_pdtype, act, { who: 'PPO' }) as Categorical) : new DiagGaussian({ d, logStd: null });
    this.actionWidth = act.kind === 'discrete' ? 1 : d;
    const piSize = act.kind === 'discrete' ? act.n : learnedStd ? d : 2 * d;
    const horizon = a.time_horizon ?? a.training_frequency;
    const batch = horizon * ctx.numEnvs;
    // Seeds in PpoAgent's order: nets (actor, critic), acting, training.
    const seeds = new Rng(ctx.seed);
    const netSeeds = new Rng(seeds.deriveSeed());
    const { actor, critic } = resolveOptimSpecs(net);
    const ortho = net.init_fn === 'orthogonal_';
    const maxBatch = Math.max(2 * batch, ctx.numEnvs);
    this.groups = [
      buildGroup(ctx, net, 'actor', netSeeds.deriveSeed(), piSize, net.actor_init_std ?? (ortho ? 0.01 : undefined), actor, net.actor_lr_scheduler_spec ?? net.lr_scheduler_spec, maxBatch, learnedStd ? d : 0),
      buildGroup(ctx, net, 'critic', netSeeds.deriveSeed(), 1, net.critic_init_std ?? (ortho ? 1 : undefined), critic ?? actor, net.critic_lr_scheduler_spec ?? net.lr_scheduler_spec, maxBatch),
    ];
    const pi = this.groups[0].net;
    if (learnedStd) pi.extra.fill(net.log_std_init ?? 0);
    this.gauss = act.kind === 'box' ? { d, logStd: learnedStd ? pi.extra : null } : null;
    this.actRng = new Rng(seeds.deriveSeed());
    this.trainRng = new Rng(seeds.deriveSeed());
    this.minibatches = new MinibatchIterator(this.trainRng);
    this.memory = new OnPolicyMemory({ kind: 'batch', numEnvs: ctx.numEnvs, obsSize: this.obsSize, actionSize: this.actionWidth, horizon, episodes: a.training_frequency });
    this.lastLr = this.applyLr(0);
  }

  /** Sets each optimizer's lr for its next step at `frame`; returns the actor's. */
  private applyLr(frame: number): number {
    for (const g of this.groups) g.opt.lr = g.schedule.lrAt(frame, g.opt.stepCount);
    return this.groups[0].opt.lr;
  }

  act(obs: Float32Array, mode: 'train' | 'eval'): ActionBatch {
    const pi = this.groups[0].net;
    const rows = obs.length / this.obsSize;
    pi.input.set(obs);
    const out = pi.forward(rows);
    const params = this.gauss === null ? out : gaussianParams(out, rows, this.gauss.d, this.gauss.logStd);
    return mode === 'eval' ? this.dist.mode(params, rows) : this.dist.sample(params, rows, this.actRng);
  }

  update(tr: Transitions, frame: number): TrainStats | null {
    this.memory.add({ obs: tr.obs, action: tr.action, reward: tr.reward, nextObs: tr.nextObs, terminated: tr.terminated, truncated: tr.truncated });
    if (!this.memory.ready()) return null;
    const before = this.ctx.devChecks ? this.weights() : null;
    const { stats, maxApplied } = this.train(this.memory.batch(), frame);
    this.memory.reset();
    if (before !== null) checkUpdate(this.algorithmName, before, this.weights(), maxApplied);
    return stats;
  }

  /** One PPO update: old log-probs, V(s), V(s') once; GAE; epochs x minibatches of the clipped loss. */
  private train(b: ReturnType<OnPolicyMemory['batch']>, frame: number): { stats: TrainStats; maxApplied: number } {
    const a = this.ctx.spec.agent.algorithm;
    const [pi, v] = this.groups.map((g) => g.net);
    const M = b.size;
    const D = this.obsSize;
    const W = this.actionWidth;

    // Old log-probs, V(s) and V(s'), outside the gradient.
    pi.input.set(b.obs.subarray(0, M * D));
    const out = pi.forward(M);
    const oldLogp = new Float32Array(M);
    const g = this.gauss;
    const n = this.numActions;
    for (let i = 0; i < M; i++) oldLogp[i] = g === null ? logSoftmaxAt(out, i * n, n, b.actions[i]) : gaussianLogProbAt(out, b.actions, g.logStd, g.d, i);
    v.input.set(b.obs.subarray(0, M * D));
    v.input.set(b.nextObs.subarray(0, M * D), M * D);
    const vs = v.forward(2 * M);
    const { advantages, ret, oldV } = ppoTargets(b, vs.subarray(0, M), vs.subarray(M, 2 * M), a.normalize_v_targets ? this.vRms : null, a.gamma, this.lam);

    const clipEps = decayValue(this.clipEpsSpec, frame);
    const entropyCoef = a.entropy_coef_spec === null ? 0 : decayValue(a.entropy_coef_spec, frame);
    const mb = ppoMinibatchSize(a.minibatch_size, this.ctx.numEnvs, M);
    const advNorm = advantageNormalization(a.normalize_advantages);
    const clip = this.ctx.spec.agent.net.clip_grad_val;
    const sAct = new Float32Array(mb * W);
    const sOld = new Float32Array(mb);
    const sAdv = new Float32Array(mb);
    const sRet = new Float32Array(mb);
    const sOldV = new Float32Array(mb);
    const sums = new Float64Array(5);
    let loss = 0;
    let gradNorm = 0;
    let maxApplied = 0;
    const steps = this.minibatches.forEach(M, mb, a.training_epoch ?? 4, (idx, k) => {
      gatherRows(b.obs, D, idx, k, pi.input);
      gatherRows(b.obs, D, idx, k, v.input);
      gatherRows(b.actions, W, idx, k, sAct);
      gatherRows(oldLogp, 1, idx, k, sOld);
      gatherRows(advantages, 1, idx, k, sAdv);
      gatherRows(ret, 1, idx, k, sRet);
      gatherRows(oldV, 1, idx, k, sOldV);
      if (advNorm === 'standardize') standardize(sAdv, k);
      else if (advNorm === 'percentile') this.percentile.updateAndNormalize(sAdv, k);
      this.lastLr = this.applyLr(frame);
      const L = this.lossGrad(pi.forward(k), sAct, {
        oldLogp: sOld, adv: sAdv, value: v.forward(k), oldValue: sOldV, ret: sRet, batch: k,
        clipEps, clipVloss: a.clip_vloss, valLossCoef: a.val_loss_coef, entropyCoef, lossSpec: this.ctx.spec.agent.net.loss_spec,
      });
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
      [L.policy, L.value, L.entropy, L.approxKl, L.clipFraction].forEach((x, j) => (sums[j] += x));
      loss = L.total;
      gradNorm = Math.sqrt(normSq);
      const applied = Math.sqrt(appliedSq);
      maxApplied = Number.isFinite(applied) ? Math.max(maxApplied, applied) : Number.POSITIVE_INFINITY;
    });
    const mean = (x: number): number => x / Math.max(steps, 1);
    this.lastEntropy = mean(sums[2]);
    const terms = {
      policy: mean(sums[0]), value: mean(sums[1]), entropy: mean(sums[2]), approx_kl: mean(sums[3]), clip_fraction: mean(sums[4]),
      clip_eps: clipEps, entropy_coef: entropyCoef,
    };
    return { stats: { loss, terms, gradNorm, optSteps: steps }, maxApplied };
  }

  /** The loss of a minibatch with its gradients into the actor's output (and log-std) and the critic's output. */
  private lossGrad(out: Float32Array, actions: Float32Array, common: PpoGradInput): PpoLossValues {
    const [pi, v] = this.groups.map((g) => g.net);
    const g = this.gauss;
    if (g === null) return ppoCategoricalLossGrad({ ...common, logits: out, actions, numActions: this.numActions }, pi.outputGrad, v.outputGrad);
    return ppoGaussianLossGrad({ ...common, out, actions, actionSize: g.d, logStd: g.logStd }, pi.outputGrad, g.logStd === null ? null : pi.extraGrad, v.outputGrad);
  }

  scalars(): AgentScalars {
    return { lr: this.lastLr, entropy: this.lastEntropy, exploreVar: null };
  }

  /** The tfjs nets' tensor names: `actor|critic/l{i}/kernel|bias`, `actor/log_std`, `optim{0,1}/step|m|v`. */
  getState(): AgentState {
    const tensors: Record<string, TensorData> = {};
    for (const [name, data] of Object.entries(this.namedWeights())) tensors[name] = { shape: this.shapeOf(name), data: data.slice() };
    this.groups.forEach((g, i) => {
      tensors[`optim${i}/step`] = { shape: [1], data: Float32Array.of(g.opt.stepCount) };
      g.net.slots.forEach((s, j) => (tensors[`optim${i}/${j === 0 ? 'm' : 'v'}`] = { shape: [s.length], data: s.slice() }));
    });
    return {
      algorithm: this.algorithmName,
      tensors,
      meta: { vRms: [this.vRms.mean, this.vRms.var, this.vRms.count], ...commonMeta(this.commonState()) },
    };
  }

  setState(state: AgentState): void {
    const who = this.algorithmName;
    const common = restoreOnPolicyMeta(who, state, this.commonState());
    const t = state.tensors;
    const take = (key: string, into: Float32Array): void => {
      const d = t[key];
      if (d === undefined || d.data.length !== into.length) throw new AgentConfigError(`${who} state tensor '${key}' is missing or has the wrong size`);
      into.set(d.data);
    };
    for (const [name, w] of Object.entries(this.namedWeights())) take(name, w);
    this.groups.forEach((g, i) => {
      const step = t[`optim${i}/step`];
      if (step === undefined) throw new AgentConfigError(`${who} state has no tensor 'optim${i}/step'`);
      g.net.slots.forEach((s, j) => take(`optim${i}/${j === 0 ? 'm' : 'v'}`, s));
      g.opt.stepCount = step.data[0];
    });
    [this.vRms.mean, this.vRms.var, this.vRms.count] = metaNumbers(who, state.meta, 'vRms', 3);
    if (common.lastLr !== null) this.lastLr = common.lastLr;
    this.lastEntropy = common.lastEntropy;
    restoreMemoryMeta(who, state.meta, this.memory);
  }

  /** `getState()` plus the partial batch in the memory. */
  resumeState(): AgentState {
    const state = this.getState();
    return { ...state, meta: { ...state.meta, ...memoryMeta(this.memory) } };
  }

  private commonState(): OnPolicyCommonState {
    return { percentile: this.percentile, actRng: this.actRng, trainRng: this.trainRng, lastLr: this.lastLr, lastEntropy: this.lastEntropy };
  }

  weights(): Readonly<Record<string, Float32Array>> {
    const out: Record<string, Float32Array> = {};
    for (const [name, w] of Object.entries(this.namedWeights())) out[name] = w.slice();
    return out;
  }

  dispose(): void {}

  /** Views of every layer's parameters under the tfjs Mlp's names. */
  private namedWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const g of this.groups) {
      g.net.layers.forEach((l, i) => {
        out[`${g.name}/l${i}/kernel`] = l.kernel;
        out[`${g.name}/l${i}/bias`] = l.bias;
      });
    }
    if (this.gauss?.logStd) out['actor/log_std'] = this.gauss.logStd;
    return out;
  }

  private shapeOf(name: string): number[] {
    if (name === 'actor/log_std') return [this.gauss?.d ?? 0];
    const [net, layer, kind] = name.split('/');
    const l = this.groups[net === 'actor' ? 0 : 1].net.layers[Number(layer.slice(1))];
    return kind === 'bias' ? [l.bias.length] : [l.kernel.length / l.bias.length, l.bias.length];
  }
}

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
