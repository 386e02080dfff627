/**
 * PPO (Schulman et al. 2017) under SLM Lab's spec keys: clipped surrogate with a `clip_eps_spec`
 * schedule, GAE (`gamma`, `lam`) with terminated/truncated handled per step, value loss (`loss_spec`,
 * optional `clip_vloss`, `val_loss_coef`), entropy bonus (`entropy_coef_spec`), `training_epoch`
 * epochs of shuffled minibatches (`minibatch_size`) with per-minibatch advantage normalisation,
 * running normalisation of value targets (`normalize_v_targets`). Categorical policy for Discrete
 * action spaces, diagonal Gaussian for Box: a state-dependent log-scale head (SLM Lab's default) or,
 * with `net.log_std_init`, a learnable state-independent log-std.
 *
 * Old log-probs and values are computed once per batch from the stored observations (one batched
 * forward outside the gradient). Box actions are returned as sampled (the Session and `rollout`
 * clip them to the space for the env) and stored as sampled.
 */
import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { ActionBatch, BoxSpace, Space } from '@gymlab/envs';
import { RNG_STATE_SIZE, Rng } from '@gymlab/random';
import type { DecaySpec, Spec } from '@gymlab/spec';
import { minimizeGroups } from '../optim/minimize.js';
import { OnPolicyMemory } from '../memory/on-policy.js';
import { ppoLoss } from '../losses/ppo.js';
import { gae } from '../returns/gae.js';
import { decayValue } from '../schedule/decay.js';
import { categoricalEntropy, categoricalLogProb, gaussianEntropy, gaussianEntropyRows, gaussianLogProb, LOG_SCALE_MAX, LOG_SCALE_MIN, oneHot, sampleCategorical, sampleGaussian, sampleGaussianHead } from '../policy/distributions.js';
import { AgentCheckError, AgentConfigError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { checkNetSpec } from '../net/factory.js';
import { ActorCriticNets, resolveOptimSpecs } from './on-policy-nets.js';
import { meanAndSquaredDeviation, RunningMeanStd } from './on-policy-stats.js';

/** Gradient norms above this (before clipping) fail the dev check. */
const MAX_SANE_GRAD_NORM = 1e6;

/** Throws AgentConfigError (one line) when PPO cannot run this spec on these spaces. */
export function checkPpoSpec(spec: Spec, obs: BoxSpace, act: Space): void {
  const { algorithm: a, memory: m, net } = spec.agent;
  const fail = (msg: string): never => {
    throw new AgentConfigError(`PPO: ${msg}`);
  };
  checkNetSpec(net, obs.shape, 'actor-critic', net.shared);
  if (m.name !== 'OnPolicyBatchReplay' && m.name !== 'OnPolicyReplay') fail(`agent.memory.name '${m.name}' is not on-policy; use OnPolicyBatchReplay or OnPolicyReplay`);
  if (act.kind === 'discrete' && a.action_pdtype !== 'default' && a.action_pdtype !== 'Categorical') {
    fail(`action_pdtype '${a.action_pdtype}' is not implemented for a Discrete action space; use default or Categorical`);
  }
  if (act.kind === 'box') {
    if (a.action_pdtype !== 'default' && a.action_pdtype !== 'Normal') fail(`action_pdtype '${a.action_pdtype}' is not implemented for a Box action space; use default or Normal`);
    if (act.shape.length !== 1) fail(`Box action spaces must be flat, got shape [${act.shape.join(', ')}]`);
  }
  if (a.lam === null) fail('agent.algorithm.lam is required (GAE)');
  if (a.clip_eps_spec === null) fail('agent.algorithm.clip_eps_spec is required');
  resolveOptimSpecs(net);
}

export class PpoAgent implements Agent {
  readonly algorithmName = 'PPO';
  private readonly tf: Tf;
  private readonly nets: ActorCriticNets;
  private readonly memory: OnPolicyMemory;
  private readonly obsSize: number;
  private readonly nActions: number; // discrete: n; box: action size
  private readonly continuous: boolean;
  private readonly actRng: Rng;
  private readonly trainRng: Rng;
  private readonly vRms = new RunningMeanStd();
  private std = new Float64Array(0);
  private lastEntropy: number | null = null;
  private lastLr: number;
  private readonly clipEpsSpec: DecaySpec;
  private readonly lam: number;

  constructor(private readonly ctx: AgentContext) {
    const { spec, observationSpace: obs, actionSpace: act } = ctx;
    checkPpoSpec(spec, obs, act);
    const { clip_eps_spec: clipEpsSpec, lam } = spec.agent.algorithm;
    if (clipEpsSpec === null || lam === null) throw new Error('unreachable: checked above');
    this.clipEpsSpec = clipEpsSpec;
    this.lam = lam;
    this.tf = ctx.backend.tf;
    this.obsSize = obs.size;
    this.continuous = act.kind === 'box';
    this.nActions = act.kind === 'box' ? act.size : act.n;
    const seeds = new Rng(ctx.seed);
    this.nets = new ActorCriticNets(this.tf, {
      obsSize: this.obsSize,
      inputShape: obs.shape,
      policySize: this.nActions,
      continuous: this.continuous,
      net: spec.agent.net,
      seed: seeds.deriveSeed(),
    });
    this.actRng = new Rng(seeds.deriveSeed());
    this.trainRng = new Rng(seeds.deriveSeed());
    const a = spec.agent.algorithm;
    const episodic = spec.agent.memory.name === 'OnPolicyReplay';
    this.memory = new OnPolicyMemory({
      kind: episodic ? 'episodic' : 'batch',
      numEnvs: ctx.numEnvs,
      obsSize: this.obsSize,
      actionSize: this.continuous ? this.nActions : 1,
      horizon: a.time_horizon ?? a.training_frequency,
      episodes: a.training_frequency,
    });
    this.lastLr = this.nets.applyLr(0);
    this.refreshStd();
  }

  act(obs: Float32Array, mode: 'train' | 'eval'): ActionBatch {
    const tf = this.tf;
    const rows = obs.length / this.obsSize;
    const out = tf.tidy(() => this.nets.policy(tf.tensor2d(obs, [rows, this.obsSize])));
    const params = out.dataSync() as Float32Array;
    out.dispose();
    const evalMode = mode === 'eval';
    if (!this.continuous) return sampleCategorical(params, this.nActions, this.actRng, evalMode, new Int32Array(rows));
    const raw = new Float32Array(rows * this.nActions);
    if (this.nets.stdHead) sampleGaussianHead(params, this.nActions, this.actRng, evalMode, raw);
    else sampleGaussian(params, this.std, this.actRng, evalMode, raw);
    return raw;
  }

  update(tr: Transitions, frame: number): TrainStats | null {
    this.memory.add({ obs: tr.obs, action: tr.action, reward: tr.reward, nextObs: tr.nextObs, terminated: tr.terminated, truncated: tr.truncated });
    if (!this.memory.ready()) return null;
    const stats = this.train(frame);
    this.memory.reset();
    return stats;
  }

  /** One PPO update on the stored batch. */
  private train(frame: number): TrainStats {
    const tf = this.tf;
    const a = this.ctx.spec.agent.algorithm;
    const b = this.memory.batch();
    const M = b.size;
    const before = this.ctx.devChecks ? this.nets.weights() : null;

    // Old log-probs, V(s), V(s') in one pass, outside the gradient.
    const actOneHot = this.continuous ? null : oneHot(b.actions, this.nActions);
    const packed = tf.tidy(() => {
      const obsT = tf.tensor2d(b.obs, [M, this.obsSize]);
      const both = tf.concat([obsT, tf.tensor2d(b.nextObs, [M, this.obsSize])]);
      const pd = this.nets.policy(obsT);
      const vs = this.nets.value(both);
      return tf.concat([this.logProb(pd, actOneHot ?? b.actions, M), vs]);
    });
    const old = packed.dataSync() as Float32Array;
    packed.dispose();
    const oldLogp = old.slice(0, M);
    const vNorm = old.subarray(M, 2 * M);
    const nextNorm = old.subarray(2 * M, 3 * M);

    // Advantages and value targets in float64 on raw (denormalised) values.
    const norm = a.normalize_v_targets;
    const denorm = (x: Float32Array): Float64Array => {
      const o = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) o[i] = norm ? x[i] * this.vRms.std + this.vRms.mean : x[i];
      return o;
    };
    const values = denorm(vNorm);
    const { advantages, vTargets } = gae({
      rewards: b.rewards, values, nextValues: denorm(nextNorm), terminated: b.terminated, truncated: b.truncated,
      numEnvs: b.numEnvs, gamma: a.gamma, lam: this.lam,
    });
    if (norm) this.vRms.update(vTargets);
    const ret = new Float32Array(M);
    const oldV = new Float32Array(M);
    const mu = norm ? this.vRms.mean : 0;
    const sd = norm ? this.vRms.std : 1;
    for (let i = 0; i < M; i++) {
      ret[i] = (vTargets[i] - mu) / sd;
      oldV[i] = (values[i] - mu) / sd;
    }

    const clipEps = decayValue(this.clipEpsSpec, frame);
    const entropyCoef = a.entropy_coef_spec === null ? 0 : decayValue(a.entropy_coef_spec, frame);
    const mb = Math.min(a.minibatch_size ?? M, M);
    const epochs = a.training_epoch ?? 4;
    const perm = new Int32Array(M);
    for (let i = 0; i < M; i++) perm[i] = i;
    const aSize = this.continuous ? this.nActions : 1;
    const pdWidth = this.nActions; // one-hot width (discrete) or action size (continuous)
    const sObs = new Float32Array(mb * this.obsSize);
    const sAct = new Float32Array(mb * pdWidth);
    const sOld = new Float32Array(mb);
    const sAdv = new Float32Array(mb);
    const sRet = new Float32Array(mb);
    const sOldV = new Float32Array(mb);

    let termsSum: Tensor = tf.zeros([3]);
    let steps = 0;
    let lastLoss = 0;
    let lastNorm = 0;
    let maxNorm = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      this.trainRng.shuffle(perm);
      for (let start = 0; start < M; start += mb) {
        const n = Math.min(mb, M - start);
        for (let k = 0; k < n; k++) {
          const j = perm[start + k];
          sObs.set(b.obs.subarray(j * this.obsSize, (j + 1) * this.obsSize), k * this.obsSize);
          if (actOneHot) sAct.set(actOneHot.subarray(j * pdWidth, (j + 1) * pdWidth), k * pdWidth);
          else sAct.set(b.actions.subarray(j * aSize, (j + 1) * aSize), k * aSize);
          sOld[k] = oldLogp[j];
          sAdv[k] = advantages[j];
          sRet[k] = ret[j];
          sOldV[k] = oldV[j];
        }
        if (a.normalize_advantages) standardize(sAdv, n);
        this.lastLr = this.nets.applyLr(frame);
        let captured: Tensor | null = null;
        const { obsT, actT, oldT, advT, retT, oldVT } = tf.tidy(() => ({
          obsT: tf.tensor2d(sObs.subarray(0, n * this.obsSize), [n, this.obsSize]),
          actT: tf.tensor2d(sAct.subarray(0, n * pdWidth), [n, pdWidth]),
          oldT: tf.tensor1d(sOld.subarray(0, n)),
          advT: tf.tensor1d(sAdv.subarray(0, n)),
          retT: tf.tensor1d(sRet.subarray(0, n)),
          oldVT: tf.tensor1d(sOldV.subarray(0, n)),
        }));
        const r = minimizeGroups(
          tf,
          () => {
            const { pd, v } = this.nets.both(obsT, true);
            const L = ppoLoss(tf, {
              logp: this.logProbT(pd, actT),
              oldLogp: oldT, adv: advT, value: v, oldValue: oldVT, ret: retT,
              entropy: this.entropy(pd),
              clipEps, clipVloss: a.clip_vloss, valLossCoef: a.val_loss_coef, entropyCoef,
              lossSpec: this.ctx.spec.agent.net.loss_spec,
            });
            captured = tf.keep(tf.stack([L.policy, L.value, L.entropy]));
            return L.total as Scalar;
          },
          this.nets.groups,
        );
        tf.dispose([obsT, actT, oldT, advT, retT, oldVT]);
        const c = captured as Tensor | null;
        if (c !== null) {
          const next = tf.add(termsSum, c);
          tf.dispose([termsSum, c]);
          termsSum = next;
        }
        steps += 1;
        lastLoss = r.loss;
        lastNorm = Math.sqrt(r.gradNorms.reduce((s, g) => s + g * g, 0));
        if (!Number.isFinite(lastNorm)) maxNorm = Number.POSITIVE_INFINITY;
        else maxNorm = Math.max(maxNorm, lastNorm);
      }
    }
    const terms = termsSum.dataSync();
    termsSum.dispose();
    this.refreshStd();
    const mean = (x: number): number => x / Math.max(steps, 1);
    this.lastEntropy = mean(terms[2]);
    if (before !== null) this.devCheck(before, maxNorm);
    return {
      loss: lastLoss,
      terms: { policy: mean(terms[0]), value: mean(terms[1]), entropy: mean(terms[2]), clip_eps: clipEps, entropy_coef: entropyCoef },
      gradNorm: lastNorm,
      optSteps: steps,
    };
  }

  /** log pi(a|s) [B] from policy params and stored actions (flat). */
  private logProb(pd: Tensor2D, actions: Float32Array, rows: number): Tensor1D {
    return this.logProbT(pd, this.tf.tensor2d(actions, [rows, this.nActions]));
  }

  /** actions: one-hot [B, n] (discrete) or raw samples [B, d] (continuous). */
  private logProbT(pd: Tensor2D, actions: Tensor2D): Tensor1D {
    const tf = this.tf;
    if (this.nets.stdHead) {
      const { mean, logScale } = this.splitHead(pd);
      return gaussianLogProb(tf, mean, logScale, actions);
    }
    return this.nets.logStd ? gaussianLogProb(tf, pd, this.nets.logStd as Tensor1D, actions) : categoricalLogProb(tf, pd, actions);
  }

  private entropy(pd: Tensor2D): Tensor1D {
    if (this.nets.stdHead) return gaussianEntropyRows(this.tf, this.splitHead(pd).logScale);
    return this.nets.logStd ? gaussianEntropy(this.tf, this.nets.logStd as Tensor1D) : categoricalEntropy(this.tf, pd);
  }

  /** A [B, 2d] head as means [B, d] and log-scales clamped to SLM Lab's [-20, 2] [B, d]. */
  private splitHead(pd: Tensor2D): { mean: Tensor2D; logScale: Tensor2D } {
    const tf = this.tf;
    const d = this.nActions;
    const mean = tf.slice(pd, [0, 0], [-1, d]) as Tensor2D;
    const logScale = tf.clipByValue(tf.slice(pd, [0, d], [-1, d]), LOG_SCALE_MIN, LOG_SCALE_MAX) as Tensor2D;
    return { mean, logScale };
  }

  private refreshStd(): void {
    if (this.nets.logStd === null) return;
    this.std = Float64Array.from(this.nets.logStd.dataSync(), (x) => Math.exp(x));
  }

  private devCheck(before: Record<string, Float32Array>, maxNorm: number): void {
    if (!Number.isFinite(maxNorm) || maxNorm > MAX_SANE_GRAD_NORM) {
      throw new AgentCheckError(`PPO dev check: gradient norm ${maxNorm} is not finite or above ${MAX_SANE_GRAD_NORM}`);
    }
    const after = this.nets.weights();
    for (const [name, w] of Object.entries(after)) {
      if (!w.every(Number.isFinite)) throw new AgentCheckError(`PPO dev check: parameter ${name} is not finite after the update`);
    }
    const changed = Object.entries(after).some(([name, w]) => w.some((x, i) => x !== before[name][i]));
    if (!changed) throw new AgentCheckError('PPO dev check: no parameter changed in the update');
  }

  scalars(): AgentScalars {
    return { lr: this.lastLr, entropy: this.lastEntropy, exploreVar: null };
  }

  getState(): AgentState {
    return {
      algorithm: this.algorithmName,
      tensors: this.nets.getState(),
      meta: {
        vRms: [this.vRms.mean, this.vRms.var, this.vRms.count],
        actRng: this.actRng.getState(),
        trainRng: this.trainRng.getState(),
        lastLr: this.lastLr,
        lastEntropy: this.lastEntropy,
      },
    };
  }

  setState(state: AgentState): void {
    if (state.algorithm !== this.algorithmName) throw new AgentConfigError(`cannot load a ${state.algorithm} state into a PPO agent`);
    this.nets.setState(state.tensors);
    const m = state.meta;
    const nums = (k: string, n: number): number[] => {
      const v = m[k];
      if (!Array.isArray(v) || v.length !== n) throw new AgentConfigError(`PPO state meta '${k}' must be ${n} numbers`);
      return v as number[];
    };
    [this.vRms.mean, this.vRms.var, this.vRms.count] = nums('vRms', 3);
    this.actRng.setState(nums('actRng', RNG_STATE_SIZE));
    this.trainRng.setState(nums('trainRng', RNG_STATE_SIZE));
    if (typeof m.lastLr === 'number') this.lastLr = m.lastLr;
    this.lastEntropy = typeof m.lastEntropy === 'number' ? m.lastEntropy : null;
    this.memory.reset();
    this.refreshStd();
  }

  weights(): Readonly<Record<string, Float32Array>> {
    return this.nets.weights();
  }

  dispose(): void {
    this.nets.dispose();
  }
}

/** In place: x[0..n) <- (x - mean) / (std + 1e-8), std unbiased as torch's. */
function standardize(x: Float32Array, n: number): void {
  if (n < 2) return;
  const { mean: m, ssd } = meanAndSquaredDeviation(x, n);
  const sd = Math.sqrt(ssd / (n - 1));
  for (let i = 0; i < n; i++) x[i] = (x[i] - m) / (sd + 1e-8);
}

export const ppoEntry = {
  check: checkPpoSpec,
  create: (ctx: AgentContext): Agent => new PpoAgent(ctx),
};
