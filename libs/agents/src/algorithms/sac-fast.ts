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
import { criticLossGrad, sacContinuousTargetValues, sacDiscreteTargetValues } from '../losses/sac-grad.js';
import { buildFastMlp, fastLayerTensors, fastLayerWeights, restoreFastLayers, unbuiltOptimKey } from '../net/fast-mlp.js';
import type { TargetUpdateConfig } from '../net/target.js';
import type { TensorData } from '../net/types.js';
import { NotBuiltError, type Agent, type AgentContext } from '../types.js';
import { SacAgent } from './sac.js';
import { checkSacSpec } from './sac-config.js';
import type { SacBatch, SacComputeInit, SacCriticResult } from './sac-compute.js';
import { absTdOf, FastSacBase, fastStep, type FastTrained, type SlotAccess } from './sac-fast-base.js';

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
  const optim = unbuiltOptimKey(net.optim_spec as OptimSpec);
  if (optim !== null) refuse(`agent.net.optim_spec.${optim}`);
  for (const a of [net.hid_layers_activation, net.out_layer_activation ?? 'linear']) {
    if (a !== 'tanh' && a !== 'relu' && a !== 'linear') refuse(`activation '${a}'`);
  }
}

/** A FastMlp's optimizer slots are views into its state buffer. */
const MLP_SLOTS: SlotAccess<FastMlp> = { slots: (net) => net.slots };

export class FastSacCompute extends FastSacBase<FastMlp> {
  private readonly lossSpec: LossSpec;
  private readonly targets: readonly [FastMlp, FastMlp];

  constructor({ ctx, cfg, seeds, maxBatch }: SacComputeInit) {
    checkFastSacSpec(ctx.spec, ctx.observationSpace, ctx.actionSpace);
    const net = ctx.spec.agent.net;
    const o = net.optim_spec as OptimSpec;
    const kernels = ctx.backend.fast ?? loadFastKernels();
    const obsSize = ctx.observationSpace.size;
    const d = cfg.actionDim;
    const mlp = (name: string, seed: number, inputSize: number, outputSize: number): FastMlp =>
      buildFastMlp(kernels, { inputSize, hidden: net.hid_layers, activation: net.hid_layers_activation, outputSize, outputActivation: net.out_layer_activation, initFn: net.init_fn, seed, name }, maxBatch);
    const trained = (m: FastMlp): FastTrained<FastMlp> => ({ net: m, opt: new FastAdam(m, { lr: o.lr, betas: o.betas ?? undefined, eps: o.eps ?? undefined, weightDecay: o.weight_decay ?? undefined, decoupled: o.name === 'AdamW' }), clip: net.clip_grad_val });
    const discrete = cfg.discrete;
    const qIn = discrete ? obsSize : obsSize + d;
    const qOut = discrete ? d : 1;
    super({ cfg, obsSize, maxBatch, alphaOptim: o, actor: trained(mlp('net', seeds[0], obsSize, discrete ? d : 2 * d)), critics: [trained(mlp('q1_net', seeds[1], qIn, qOut)), trained(mlp('q2_net', seeds[2], qIn, qOut))] });
    this.lossSpec = net.loss_spec;
    // Each target starts as its critic (same seed), as SLM Lab copies them.
    this.targets = [mlp('target_q1_net', seeds[1], qIn, qOut), mlp('target_q2_net', seeds[2], qIn, qOut)];
  }

  criticStep(batch: SacBatch, nextNoise: Float32Array | null, alpha: number, wantAbsTd: boolean): SacCriticResult {
    if (this.discrete) return this.discreteCriticStep(batch, alpha, wantAbsTd);
    const B = batch.size;
    const action = batch.action as Float32Array;
    this.sample(batch.nextObs, nextNoise as Float32Array, B);
    const nextQ = this.targets.map((t) => {
      this.fillInput(t.input, batch.nextObs, this.act, B);
      return t.forward(B);
    });
    const y = this.y;
    sacContinuousTargetValues(batch.reward, batch.terminated, nextQ[0], nextQ[1], this.logp, alpha, this.cfg.gamma, B, y);
    let loss = 0;
    const q: Float32Array[] = [];
    const gradNorms = this.critics.map((c) => {
      this.fillInput(c.net.input, batch.obs, action, B);
      const qk = c.net.forward(B);
      q.push(qk.slice());
      loss += criticLossGrad(qk, y, B, this.lossSpec, c.net.outputGrad);
      return fastStep(c, B);
    });
    return { loss, gradNorms, absTd: wantAbsTd ? absTdOf(q[0], q[1], y, B) : null };
  }

  /** Discrete: the target as an expectation over actions; Q_k(s, a) by index; Q_k(s, .) kept for the policy step. */
  private discreteCriticStep(batch: SacBatch, alpha: number, wantAbsTd: boolean): SacCriticResult {
    const B = batch.size;
    const n = this.d;
    const D = this.obsSize;
    const logits = this.actorOutput(batch.nextObs, B);
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
      loss += this.discreteCriticGrad(k as 0 | 1, c.net.forward(B), batch.action as Int32Array, B, B, qa[k], (v, dq) => criticLossGrad(v, y, B, this.lossSpec, dq));
      return fastStep(c, B);
    });
    return { loss, gradNorms, absTd: wantAbsTd ? absTdOf(qa[0], qa[1], y, B) : null };
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
    return { ...fastLayerTensors(this.nets()), ...this.optimTensors(MLP_SLOTS) };
  }

  setState(t: Readonly<Record<string, TensorData>>): void {
    restoreFastLayers(t, this.nets(), 'SoftActorCritic');
    this.restoreOptim(t, 'SoftActorCritic', MLP_SLOTS);
  }

  netWeights(): Record<string, Float32Array> {
    return fastLayerWeights(this.nets());
  }

  snapshot(): Float32Array[][] {
    return [this.actor, ...this.critics].map((t) => [t.net.params.slice()]);
  }

  private nets(): Array<[string, FastMlp]> {
    return [['net', this.actor.net], ['q1_net', this.critics[0].net], ['q2_net', this.critics[1].net], ['target_q1_net', this.targets[0]], ['target_q2_net', this.targets[1]]];
  }
}

/** The registry entry for `agent.net.backend: fast`. */
export const fastSacEntry = {
  check: checkFastSacSpec,
  create: (ctx: AgentContext): Agent => new SacAgent(ctx, (init) => new FastSacCompute(init)),
};
