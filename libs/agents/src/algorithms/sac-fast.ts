/**
 * SAC's compute on the fast CPU path (`agent.net.backend: fast`): the policy (tanh-squashed
 * Gaussian for Box actions, Categorical for Discrete) and the twin critics with their targets as
 * `FastMlp` nets, each online net with its `FastAdam`; the losses and their gradients w.r.t. the
 * net outputs from losses/sac-grad.ts. Continuous: the policy's gradient reaches it through the
 * critics' input gradient; discrete: expectations over the actions with the critics' values of
 * the critic step, as the tfjs compute does. The
 * nets have the tfjs SAC's initial weights per seed and its checkpoint tensor names, so
 * `SacAgent` (sac.ts) drives either. What it does not have is refused by `checkFastSacSpec`.
 */
import { FastAdam, loadFastKernels, type FastMlp } from '@gymlab/backends';
import type { BoxSpace, Space } from '@gymlab/envs';
import type { LossSpec, OptimSpec, Spec } from '@gymlab/spec';
import { criticLossGrad, sacAlphaLossGrad, sacContinuousTargetValues, sacDiscreteAlphaLossGrad, sacDiscretePolicyLossGrad, sacDiscreteTargetValues, sacPolicyLossGrad, squashedSample, squashedSampleBackward } from '../losses/sac-grad.js';
import { buildFastMlp, fastLayerTensors, fastLayerWeights, restoreFastLayers, takeTensor } from '../net/fast-mlp.js';
import type { TargetUpdateConfig } from '../net/target.js';
import type { TensorData } from '../net/types.js';
import { NotBuiltError, type Agent, type AgentContext } from '../types.js';
import { SacAgent } from './sac.js';
import { checkSacSpec, type SacConfig } from './sac-config.js';
import type { SacBatch, SacCompute, SacComputeInit, SacCriticResult, SacLrTarget, SacPolicyResult, SacStepResult } from './sac-compute.js';

function refuse(what: string): never {
  throw new NotBuiltError(`backend fast: SoftActorCritic ${what} not built yet`, 'it runs SAC with MLPNet nets on flat observations (linear, relu, tanh) and Adam/AdamW; use another agent.net.backend');
}

/** Throws (one line) when the fast path cannot run this SAC spec: the SAC checks, then what the fast path has. */
export function checkFastSacSpec(spec: Spec, obs: BoxSpace, act: Space): void {
  checkSacSpec(spec, obs, act);
  const net = spec.agent.net;
  if (obs.shape.length !== 1) refuse(`observations of shape [${obs.shape.join(', ')}]`);
  if (net.type !== 'MLPNet') refuse(`agent.net.type '${net.type}'`);
  if (net.batch_norm || net.layer_norm) refuse('MLPNet batch_norm/layer_norm');
  if (net.hid_layers.length === 0) refuse('MLPNet without hidden layers');
  const o = net.optim_spec as OptimSpec;
  if (o.name !== 'Adam' && o.name !== 'AdamW') refuse(`agent.net.optim_spec.name '${o.name}'`);
  if (o.amsgrad === true) refuse('agent.net.optim_spec.amsgrad');
  for (const a of [net.hid_layers_activation, net.out_layer_activation ?? 'linear']) {
    if (a !== 'tanh' && a !== 'relu' && a !== 'linear') refuse(`activation '${a}'`);
  }
}

/** |min(q1, q2) - y| [B], the PER priorities' TD errors. */
function absTdOf(q1: Float32Array, q2: Float32Array, y: Float32Array, B: number): Float32Array {
  return Float32Array.from({ length: B }, (_, i) => Math.abs(Math.min(q1[i], q2[i]) - y[i]));
}

/** torch.optim.Adam / AdamW on one scalar (log_alpha), in f32 as the flat-buffer kernel does it. */
class ScalarAdam implements SacLrTarget {
  stepCount = 0;
  m = 0;
  v = 0;
  /** betas, eps, weight decay, AdamW (decoupled) or Adam (L2). */
  private readonly h: { readonly betas: readonly [number, number]; readonly eps: number; readonly wd: number; readonly decoupled: boolean };

  constructor(
    public lr: number,
    o: OptimSpec,
  ) {
    const decoupled = o.name === 'AdamW';
    this.h = { betas: o.betas ?? [0.9, 0.999], eps: o.eps ?? 1e-8, wd: o.weight_decay ?? (decoupled ? 0.01 : 0), decoupled };
  }

  /** The parameter after one step from gradient `g`. */
  step(p0: number, g0: number): number {
    const f = Math.fround;
    const { betas: [b1, b2], eps, wd, decoupled } = this.h;
    this.stepCount += 1;
    const t = this.stepCount;
    const p = decoupled ? f(p0 * f(1 - this.lr * wd)) : f(p0);
    const g = decoupled ? f(g0) : f(g0 + f(wd * p));
    this.m = f(this.m + f(f(1 - b1) * f(g - this.m)));
    this.v = f(f(b2 * this.v) + f(f(1 - b2) * f(g * g)));
    const denom = f(f(Math.sqrt(this.v) / Math.sqrt(1 - b2 ** t)) + eps);
    return f(p - f(f(this.lr / (1 - b1 ** t)) * f(this.m / denom)));
  }
}

/** One online net with its optimizer and clip_grad_val. */
interface Trained {
  readonly net: FastMlp;
  readonly opt: FastAdam;
}

export class FastSacCompute implements SacCompute {
  readonly groups: readonly (readonly [string, SacLrTarget])[];
  readonly netNames = ['net', 'q1_net', 'q2_net'] as const;
  private readonly cfg: SacConfig;
  private readonly obsSize: number;
  private readonly d: number;
  private readonly clip: number | null;
  private readonly lossSpec: LossSpec;
  private readonly actor: Trained;
  private readonly critics: readonly [Trained, Trained];
  private readonly targets: readonly [FastMlp, FastMlp];
  private readonly alphaOpt: ScalarAdam | null;
  private la: number;
  // Per-batch scratch [maxBatch * ...]
  private readonly act: Float32Array;
  private readonly logp: Float32Array;
  private readonly y: Float32Array;
  private readonly dq: readonly [Float32Array, Float32Array];
  private readonly dAct: Float32Array;
  /** Discrete: Q_1(s, .), Q_2(s, .) of the last critic step [maxBatch * n] each, for the policy loss. */
  private readonly qAll: readonly [Float32Array, Float32Array];
  private readonly discrete: boolean;

  constructor({ ctx, cfg, seeds, maxBatch }: SacComputeInit) {
    checkFastSacSpec(ctx.spec, ctx.observationSpace, ctx.actionSpace);
    const net = ctx.spec.agent.net;
    const o = net.optim_spec as OptimSpec;
    const kernels = ctx.backend.fast ?? loadFastKernels();
    this.cfg = cfg;
    this.obsSize = ctx.observationSpace.size;
    this.d = cfg.actionDim;
    this.clip = net.clip_grad_val;
    this.lossSpec = net.loss_spec;
    const mlp = (name: string, seed: number, inputSize: number, outputSize: number): FastMlp =>
      buildFastMlp(kernels, { inputSize, hidden: net.hid_layers, activation: net.hid_layers_activation, outputSize, outputActivation: net.out_layer_activation, initFn: net.init_fn, seed, name }, maxBatch);
    const trained = (m: FastMlp): Trained => ({ net: m, opt: new FastAdam(m, { lr: o.lr, betas: o.betas ?? undefined, eps: o.eps ?? undefined, weightDecay: o.weight_decay ?? undefined, decoupled: o.name === 'AdamW' }) });
    const discrete = cfg.discrete;
    this.discrete = discrete;
    const qIn = discrete ? this.obsSize : this.obsSize + this.d;
    const qOut = discrete ? this.d : 1;
    this.actor = trained(mlp('net', seeds[0], this.obsSize, discrete ? this.d : 2 * this.d));
    this.critics = [trained(mlp('q1_net', seeds[1], qIn, qOut)), trained(mlp('q2_net', seeds[2], qIn, qOut))];
    // Each target starts as its critic (same seed), as SLM Lab copies them.
    this.targets = [mlp('target_q1_net', seeds[1], qIn, qOut), mlp('target_q2_net', seeds[2], qIn, qOut)];
    this.la = cfg.fixedAlpha === null ? 0 : Math.fround(Math.log(cfg.fixedAlpha));
    this.alphaOpt = cfg.fixedAlpha === null ? new ScalarAdam(cfg.alphaLr, o) : null;
    const groups: Array<[string, SacLrTarget]> = [['actor', this.actor.opt], ['q1', this.critics[0].opt], ['q2', this.critics[1].opt]];
    if (this.alphaOpt !== null) groups.push(['alpha', this.alphaOpt]);
    this.groups = groups;
    this.act = new Float32Array(maxBatch * this.d);
    this.logp = new Float32Array(maxBatch);
    this.y = new Float32Array(maxBatch);
    this.dq = [new Float32Array(maxBatch), new Float32Array(maxBatch)];
    this.dAct = new Float32Array(maxBatch * this.d);
    this.qAll = discrete ? [new Float32Array(maxBatch * this.d), new Float32Array(maxBatch * this.d)] : [new Float32Array(0), new Float32Array(0)];
  }

  policyParams(obs: Float32Array, rows: number): Float32Array {
    const pi = this.actor.net;
    pi.input.set(obs);
    const out = pi.forward(rows);
    // SquashedGaussian's params: means, then log-scales clamped as DiagGaussian.params does
    const params = out.slice();
    if (this.discrete) return params; // logits
    const d = this.d;
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) params[i * 2 * d + d + j] = Math.min(Math.max(params[i * 2 * d + d + j], -20), 2);
    return params;
  }

  /** [s, a] rows into the critic's input. */
  private fillInput(q: FastMlp, obs: Float32Array, action: Float32Array, B: number): void {
    const D = this.obsSize;
    const d = this.d;
    const x = q.input;
    for (let i = 0; i < B; i++) {
      x.set(obs.subarray(i * D, (i + 1) * D), i * (D + d));
      x.set(action.subarray(i * d, (i + 1) * d), i * (D + d) + D);
    }
  }

  /** The actor's squashed sample at `obs` with `noise`: actions into `this.act`, log-probs into `this.logp`; returns the outputs. */
  private sample(obs: Float32Array, noise: Float32Array, B: number): Float32Array {
    const pi = this.actor.net;
    pi.input.set(obs.subarray(0, B * this.obsSize));
    const out = pi.forward(B);
    squashedSample(out, noise, B, this.d, this.act, this.logp);
    return out;
  }

  /** Backward from `outputGrad`, clip_grad_val, one Adam step; the norm before clipping. */
  private step(t: Trained, B: number): number {
    t.net.backward(B);
    const norm = this.clip === null ? t.net.gradNorm() : t.net.clipGradNorm(this.clip);
    t.opt.step();
    return norm;
  }

  criticStep(batch: SacBatch, nextNoise: Float32Array | null, alpha: number, wantAbsTd: boolean): SacCriticResult {
    if (this.discrete) return this.discreteCriticStep(batch, alpha, wantAbsTd);
    const B = batch.size;
    const action = batch.action as Float32Array;
    this.sample(batch.nextObs, nextNoise as Float32Array, B);
    const nextQ = this.targets.map((t) => {
      this.fillInput(t, batch.nextObs, this.act, B);
      return t.forward(B);
    });
    const y = this.y;
    sacContinuousTargetValues(batch.reward, batch.terminated, nextQ[0], nextQ[1], this.logp, alpha, this.cfg.gamma, B, y);
    let loss = 0;
    const q: Float32Array[] = [];
    const gradNorms = this.critics.map((c) => {
      this.fillInput(c.net, batch.obs, action, B);
      const qk = c.net.forward(B);
      q.push(qk.slice());
      loss += criticLossGrad(qk, y, B, this.lossSpec, c.net.outputGrad);
      return this.step(c, B);
    });
    return { loss, gradNorms, absTd: wantAbsTd ? absTdOf(q[0], q[1], y, B) : null };
  }

  policyStep(batch: SacBatch, noise: Float32Array | null, alpha: number): SacPolicyResult {
    const B = batch.size;
    if (this.discrete) {
      const pi = this.actor.net;
      pi.input.set(batch.obs.subarray(0, B * this.obsSize));
      const { loss, entropy } = sacDiscretePolicyLossGrad(pi.forward(B), this.qAll[0], this.qAll[1], alpha, B, this.d, pi.outputGrad);
      return { loss, gradNorms: [this.step(this.actor, B)], logProb: null, entropy };
    }
    const D = this.obsSize;
    const d = this.d;
    const out = this.sample(batch.obs, noise as Float32Array, B);
    const q = this.critics.map((c) => {
      this.fillInput(c.net, batch.obs, this.act, B);
      return c.net.forward(B);
    });
    const loss = sacPolicyLossGrad(this.logp, q[0], q[1], alpha, B, this.dq[0], this.dq[1]);
    this.dAct.fill(0, 0, B * d);
    this.critics.forEach((c, k) => {
      c.net.outputGrad.set(this.dq[k].subarray(0, B));
      c.net.backward(B, true);
      const gx = c.net.inputGrad;
      for (let i = 0; i < B; i++) for (let j = 0; j < d; j++) this.dAct[i * d + j] += gx[i * (D + d) + D + j];
    });
    squashedSampleBackward(out, noise as Float32Array, this.act, this.dAct, alpha / B, B, d, this.actor.net.outputGrad);
    const norm = this.step(this.actor, B);
    let lpSum = 0;
    for (let i = 0; i < B; i++) lpSum += this.logp[i];
    return { loss, gradNorms: [norm], logProb: this.logp.slice(0, B), entropy: -lpSum / B };
  }

  alphaStep(logProb: Float32Array | null, entropy: number): SacStepResult & { readonly logAlpha: number } {
    if (this.alphaOpt === null) throw new Error('SacCompute.alphaStep with a fixed alpha');
    const target = this.cfg.targetEntropy;
    const { loss, grad } = logProb === null ? sacDiscreteAlphaLossGrad(this.la, entropy, target) : sacAlphaLossGrad(this.la, logProb, target);
    this.la = this.alphaOpt.step(this.la, grad);
    return { loss, gradNorms: [Math.abs(grad)], logAlpha: this.la };
  }

  /** Discrete: the target as an expectation over actions; Q_k(s, a) by index; Q_k(s, .) kept for the policy step. */
  private discreteCriticStep(batch: SacBatch, alpha: number, wantAbsTd: boolean): SacCriticResult {
    const B = batch.size;
    const n = this.d;
    const D = this.obsSize;
    const action = batch.action as Int32Array;
    const pi = this.actor.net;
    pi.input.set(batch.nextObs.subarray(0, B * D));
    const logits = pi.forward(B);
    const nextQ = this.targets.map((t) => {
      t.input.set(batch.nextObs.subarray(0, B * D));
      return t.forward(B);
    });
    const y = this.y;
    sacDiscreteTargetValues(batch.reward, batch.terminated, logits, nextQ[0], nextQ[1], alpha, this.cfg.gamma, B, n, y);
    let loss = 0;
    const qa = [new Float32Array(B), new Float32Array(B)];
    const gradNorms = this.critics.map((c, k) => {
      c.net.input.set(batch.obs.subarray(0, B * D));
      const q = c.net.forward(B);
      this.qAll[k].set(q);
      for (let i = 0; i < B; i++) qa[k][i] = q[i * n + action[i]];
      const dq = this.dq[k];
      loss += criticLossGrad(qa[k], y, B, this.lossSpec, dq);
      const g = c.net.outputGrad;
      g.fill(0, 0, B * n);
      for (let i = 0; i < B; i++) g[i * n + action[i]] = dq[i];
      return this.step(c, B);
    });
    return { loss, gradNorms, absTd: wantAbsTd ? absTdOf(qa[0], qa[1], y, B) : null };
  }

  endStep(): void {}

  logAlpha(): number {
    return this.la;
  }

  setLogAlpha(v: number): void {
    this.la = Math.fround(v);
  }

  updateTargets(cfg: TargetUpdateConfig, frame: number): void {
    const polyak = cfg.updateType === 'polyak';
    if (!polyak && frame % cfg.updateFrequency >= cfg.numEnvs) return;
    const c = Math.fround(cfg.polyakCoef);
    const k = Math.fround(1 - cfg.polyakCoef);
    this.targets.forEach((t, i) => {
      const src = this.critics[i].net.params;
      const dst = t.params;
      if (!polyak) dst.set(src);
      else for (let j = 0; j < dst.length; j++) dst[j] = Math.fround(src[j] * c) + Math.fround(dst[j] * k);
    });
  }

  /** The tfjs Mlp's tensors `<net>/l<i>/kernel|bias` of every net, then `optim/<group>/step|m|v`. */
  getState(): Record<string, TensorData> {
    const out = fastLayerTensors(this.nets());
    for (const [name, t] of this.trainedGroups()) {
      out[`optim/${name}/step`] = { shape: [1], data: Float32Array.of(t.opt.stepCount) };
      t.net.slots.forEach((s, j) => (out[`optim/${name}/${j === 0 ? 'm' : 'v'}`] = { shape: [s.length], data: s.slice() }));
    }
    const a = this.alphaOpt;
    if (a !== null) Object.assign(out, { 'optim/alpha/step': { shape: [1], data: Float32Array.of(a.stepCount) }, 'optim/alpha/m': { shape: [1], data: Float32Array.of(a.m) }, 'optim/alpha/v': { shape: [1], data: Float32Array.of(a.v) } });
    return out;
  }

  setState(t: Readonly<Record<string, TensorData>>): void {
    const take = (key: string, into: Float32Array): void => takeTensor(t, key, into, 'SoftActorCritic');
    restoreFastLayers(t, this.nets(), 'SoftActorCritic');
    const one = new Float32Array(1);
    for (const [name, tr] of this.trainedGroups()) {
      take(`optim/${name}/step`, one);
      tr.opt.stepCount = one[0];
      tr.net.slots.forEach((s, j) => take(`optim/${name}/${j === 0 ? 'm' : 'v'}`, s));
    }
    const a = this.alphaOpt;
    if (a !== null) {
      take('optim/alpha/step', one);
      a.stepCount = one[0];
      take('optim/alpha/m', one);
      a.m = one[0];
      take('optim/alpha/v', one);
      a.v = one[0];
    }
  }

  netWeights(): Record<string, Float32Array> {
    return fastLayerWeights(this.nets());
  }

  snapshot(): Float32Array[][] {
    return [this.actor, ...this.critics].map((t) => [t.net.params.slice()]);
  }

  dispose(): void {}

  private nets(): Array<[string, FastMlp]> {
    return [['net', this.actor.net], ['q1_net', this.critics[0].net], ['q2_net', this.critics[1].net], ['target_q1_net', this.targets[0]], ['target_q2_net', this.targets[1]]];
  }

  private trainedGroups(): Array<[string, Trained]> {
    return [['actor', this.actor], ['q1', this.critics[0]], ['q2', this.critics[1]]];
  }
}

/** The registry entry for `agent.net.backend: fast`. */
export const fastSacEntry = {
  check: checkFastSacSpec,
  create: (ctx: AgentContext): Agent => new SacAgent(ctx, (init) => new FastSacCompute(init)),
};
