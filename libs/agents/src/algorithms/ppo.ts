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
import type { BoxSpace, Space } from '@gymlab/envs';
import type { AlgorithmSpec, DecaySpec, Spec } from '@gymlab/spec';
import type { OnPolicyBatch } from '../memory/on-policy.js';
import { gatherRows } from '../memory/minibatch.js';
import { gae } from '../returns/gae.js';
import { decayValue } from '../schedule/decay.js';
import { AgentConfigError, type Agent, type AgentContext } from '../types.js';
import { metaNumbers } from './on-policy-common.js';
import type { OnPolicyComputeFactory, PpoLossConfig } from './on-policy-compute.js';
import { checkOnPolicySpec, IDENTITY_SCALE, maxAppliedNorm, OnPolicyAgentBase, type AgentMeta, type OnPolicyVariant, type TrainResult, type ValueScale } from './on-policy-agent.js';
import { RunningMeanStd } from './on-policy-stats.js';

/** Throws AgentConfigError (one line) when PPO cannot run this spec on these spaces. */
export function checkPpoSpec(spec: Spec, obs: BoxSpace, act: Space, who = 'PPO'): void {
  checkOnPolicySpec(spec, obs, act, who);
  const a = spec.agent.algorithm;
  if (a.lam === null) throw new AgentConfigError(`${who}: agent.algorithm.lam is required (GAE)`);
  if (a.clip_eps_spec === null) throw new AgentConfigError(`${who}: agent.algorithm.clip_eps_spec is required`);
}

export class PpoAgent extends OnPolicyAgentBase {
  protected readonly vRms = new RunningMeanStd();
  private readonly clipEpsSpec: DecaySpec;
  private readonly lam: number;

  /** `variant`: PPOSIL is this agent with its own name, check and self-imitation phase; `makeCompute`: tfjs or the fast path (on-policy-fast.ts). */
  constructor(ctx: AgentContext, variant: OnPolicyVariant = { name: 'PPO', check: checkPpoSpec }, makeCompute?: OnPolicyComputeFactory) {
    super(ctx, variant, makeCompute);
    const { clip_eps_spec: clipEpsSpec, lam } = ctx.spec.agent.algorithm;
    if (clipEpsSpec === null || lam === null) throw new Error('unreachable: checked above');
    this.clipEpsSpec = clipEpsSpec;
    this.lam = lam;
  }

  protected memoryHorizon(a: AlgorithmSpec): number {
    return a.time_horizon ?? a.training_frequency;
  }

  /** One PPO update on the stored batch: old log-probs and GAE once, then epochs x minibatches of the clipped loss. */
  protected train(b: OnPolicyBatch, frame: number): TrainResult {
    const a = this.ctx.spec.agent.algorithm;
    const c = this.compute;
    const M = b.size;
    const W = c.actionWidth;
    const enc = c.encodeActions(b.actions, M);

    // Old log-probs, V(s), V(s') in one pass, outside the gradient.
    const old = c.logpAndValues(b.obs, b.nextObs, enc, M);
    const oldLogp = old.slice(0, M);
    const vNorm = old.subarray(M, 2 * M);
    const nextNorm = old.subarray(2 * M, 3 * M);

    const { advantages, ret, oldV } = ppoTargets(b, vNorm, nextNorm, a.normalize_v_targets ? this.vRms : null, a.gamma, this.lam);

    const clipEps = decayValue(this.clipEpsSpec, frame);
    const entropyCoef = a.entropy_coef_spec === null ? 0 : decayValue(a.entropy_coef_spec, frame);
    const loss: PpoLossConfig = { kind: 'ppo', clipEps, clipVloss: a.clip_vloss, valLossCoef: a.val_loss_coef, entropyCoef, lossSpec: this.ctx.spec.agent.net.loss_spec };
    const mb = ppoMinibatchSize(a.minibatch_size, this.ctx.numEnvs, M);
    const epochs = a.training_epoch ?? 4;
    const s = { n: 0, obs: new Float32Array(mb * this.obsSize), actions: new Float32Array(mb * W), oldLogp: new Float32Array(mb), adv: new Float32Array(mb), ret: new Float32Array(mb), oldValue: new Float32Array(mb) };

    let lastLoss = 0;
    let lastNorm = 0;
    let maxApplied = 0;
    const steps = this.minibatches.forEach(M, mb, epochs, (idx, n) => {
      gatherRows(b.obs, this.obsSize, idx, n, s.obs);
      gatherRows(enc, W, idx, n, s.actions);
      gatherRows(oldLogp, 1, idx, n, s.oldLogp);
      gatherRows(advantages, 1, idx, n, s.adv);
      gatherRows(ret, 1, idx, n, s.ret);
      gatherRows(oldV, 1, idx, n, s.oldValue);
      this.normalizeAdvantages(s.adv, n);
      s.n = n;
      const r = this.stepMinibatch(frame, s, loss);
      lastLoss = r.loss;
      lastNorm = r.gradNorm;
      maxApplied = maxAppliedNorm(maxApplied, r.applied);
    });
    const terms = c.takeTermSums('ppo');
    const mean = (x: number): number => x / Math.max(steps, 1);
    this.lastEntropy = mean(terms[2]);
    const stats = {
      loss: lastLoss,
      terms: {
        policy: mean(terms[0]), value: mean(terms[1]), entropy: mean(terms[2]), approx_kl: mean(terms[3]), clip_fraction: mean(terms[4]),
        clip_eps: clipEps, entropy_coef: entropyCoef,
      },
      gradNorm: lastNorm,
      optSteps: steps,
    };
    return { stats, maxApplied };
  }

  /** With normalize_v_targets the value head predicts standardised values: returns are standardised by the running stats. */
  protected valueScale(): ValueScale {
    const rms = this.vRms;
    if (!this.ctx.spec.agent.algorithm.normalize_v_targets) return IDENTITY_SCALE;
    return { returns: (x, n) => { for (let i = 0; i < n; i++) x[i] = (x[i] - rms.mean) / rms.std; }, value: (_tf, v) => v };
  }

  protected ownMeta(): AgentMeta {
    return { vRms: [this.vRms.mean, this.vRms.var, this.vRms.count] };
  }

  protected restoreOwnMeta(meta: AgentMeta): void {
    [this.vRms.mean, this.vRms.var, this.vRms.count] = metaNumbers(this.algorithmName, meta, 'vRms', 3);
  }
}

/**
 * GAE advantages and value targets of a batch from the net's V(s), V(s') (standardised when `vRms`
 * is given: normalize_v_targets), in float64 on raw values; `vRms` is updated with the targets,
 * then targets and old values are returned on the net's scale.
 */
export function ppoTargets(
  b: OnPolicyBatch,
  vNorm: Float32Array,
  nextNorm: Float32Array,
  vRms: RunningMeanStd | null,
  gamma: number,
  lam: number,
): { advantages: Float64Array; ret: Float32Array; oldV: Float32Array } {
  const M = b.size;
  const denorm = (x: Float32Array): Float64Array => {
    const o = new Float64Array(M);
    for (let i = 0; i < M; i++) o[i] = vRms === null ? x[i] : x[i] * vRms.std + vRms.mean;
    return o;
  };
  const values = denorm(vNorm);
  const { advantages, vTargets } = gae({
    rewards: b.rewards, values, nextValues: denorm(nextNorm), terminated: b.terminated, truncated: b.truncated,
    numEnvs: b.numEnvs, gamma, lam,
  });
  vRms?.update(vTargets);
  const ret = new Float32Array(M);
  const oldV = new Float32Array(M);
  const mu = vRms === null ? 0 : vRms.mean;
  const sd = vRms === null ? 1 : vRms.std;
  for (let i = 0; i < M; i++) {
    ret[i] = (vTargets[i] - mu) / sd;
    oldV[i] = (values[i] - mu) / sd;
  }
  return { advantages, ret, oldV };
}

/**
 * SLM Lab's PPO minibatch size: `minibatch_size` (default 4 when absent), rounded up to a multiple
 * of `numEnvs`, at most the batch.
 */
export function ppoMinibatchSize(minibatchSize: number | null | undefined, numEnvs: number, batchSize: number): number {
  const wanted = minibatchSize ?? 4;
  return Math.min(Math.ceil(wanted / numEnvs) * numEnvs, batchSize);
}

export const ppoEntry = {
  check: checkPpoSpec,
  create: (ctx: AgentContext): Agent => new PpoAgent(ctx),
};
