/**
 * The actor and critic of on-policy algorithms, from an SLM Lab `net` spec of any type the net
 * factory builds: either one shared body with a policy head and a value head (`shared: true`, one
 * optimizer), or separate actor and critic nets (body + output layer) with an optimizer each (`actor_optim_spec` / `critic_optim_spec`, or `optim_spec` for
 * both when `use_same_optim`). Continuous policies, as in SLM Lab: with `net.log_std_init` set, a
 * state-independent learnable log-std vector starting there; without it (SLM Lab's default), the
 * policy head outputs a log-scale per action dim next to the means ([B, 2d]: means, then log-scales).
 */
import type { Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { NetSpec, OptimSpec } from '@gymlab/spec';
import { buildNet } from '../net/factory.js';
import { Mlp } from '../net/mlp.js';
import type { NetModule, TensorData } from '../net/types.js';
import type { ParamGroup } from '../optim/minimize.js';
import { makeOptimizer, type Optimizer } from '../optim/optimizers.js';
import { LrSchedule } from '../optim/lr-schedule.js';
import { AgentConfigError } from '../types.js';
import type { ParamSharing } from '../distributed/param-sharing.js';

export interface ActorCriticConfig {
  readonly obsSize: number;
  /** One observation's shape; default [obsSize]. */
  readonly inputShape?: readonly number[];
  /** Logits (discrete) or means (continuous) per row. */
  readonly policySize: number;
  readonly continuous: boolean;
  readonly net: NetSpec;
  readonly seed: number;
  /** `meta.distributed`: each optimizer (and so its net) is made global. */
  readonly sharing?: ParamSharing;
}

/** Which optim specs an actor-critic net spec asks for; throws AgentConfigError when one is missing. */
export function resolveOptimSpecs(net: NetSpec): { actor: OptimSpec; critic: OptimSpec | null } {
  const pick = (...specs: (OptimSpec | null)[]): OptimSpec | null => specs.find((s) => s !== null) ?? null;
  if (net.shared) {
    const s = pick(net.optim_spec, net.actor_optim_spec);
    if (s === null) throw new AgentConfigError('agent.net.optim_spec is required for a shared actor-critic net');
    return { actor: s, critic: null };
  }
  if (net.use_same_optim) {
    const s = pick(net.optim_spec, net.actor_optim_spec);
    if (s === null) throw new AgentConfigError('agent.net.optim_spec is required when use_same_optim is true');
    return { actor: s, critic: s };
  }
  const actor = pick(net.actor_optim_spec, net.optim_spec);
  const critic = pick(net.critic_optim_spec, net.optim_spec);
  if (actor === null || critic === null) {
    throw new AgentConfigError('agent.net needs actor_optim_spec and critic_optim_spec (or optim_spec) for separate actor and critic nets');
  }
  return { actor, critic };
}

export class ActorCriticNets {
  readonly shared: boolean;
  readonly logStd: Variable | null;
  /** The policy head outputs [means, log-scales] ([B, 2 * policySize]): SLM Lab's state-dependent scale. */
  readonly stdHead: boolean;
  /** Optimizer groups for minimizeGroups: [actor-or-shared, critic?]. */
  readonly groups: readonly ParamGroup[];
  readonly optimizers: readonly Optimizer[];
  readonly schedules: readonly LrSchedule[];
  private readonly modules: readonly NetModule[];
  private readonly body: NetModule | null;
  private readonly pi: NetModule;
  private readonly v: NetModule;

  constructor(
    private readonly tf: Tf,
    cfg: ActorCriticConfig,
  ) {
    const net = cfg.net;
    const seeds = new Rng(cfg.seed);
    const ortho = net.init_fn === 'orthogonal_';
    // CleanRL / SLM Lab v5 PPO: orthogonal with sqrt(2) in the body, 0.01 on the policy head, 1 on the value head.
    const hiddenGain = ortho ? Math.SQRT2 : undefined;
    const piGain = net.actor_init_std ?? (ortho ? 0.01 : undefined);
    const vGain = net.critic_init_std ?? (ortho ? 1 : undefined);
    const outAct = net.out_layer_activation;
    this.shared = net.shared;
    this.stdHead = cfg.continuous && net.log_std_init === null;
    const piSize = this.stdHead ? 2 * cfg.policySize : cfg.policySize;
    const inputShape = cfg.inputShape ?? [cfg.obsSize];
    if (net.shared) {
      const body = buildNet(tf, net, inputShape, { name: 'body', seed: seeds.deriveSeed(), hiddenGain });
      const head = (name: string, outputSize: number, outputGain: number | undefined): Mlp =>
        new Mlp(tf, { inputSize: body.outputSize, hidden: [], activation: net.hid_layers_activation, outputSize, outputActivation: outAct, initFn: net.init_fn, seed: seeds.deriveSeed(), name, outputGain });
      this.body = body;
      this.pi = head('pi', piSize, piGain);
      this.v = head('v', 1, vGain);
      this.modules = [this.body, this.pi, this.v];
    } else {
      this.body = null;
      this.pi = buildNet(tf, net, inputShape, { name: 'actor', seed: seeds.deriveSeed(), hiddenGain, output: { size: piSize, activation: outAct, gain: piGain } });
      this.v = buildNet(tf, net, inputShape, { name: 'critic', seed: seeds.deriveSeed(), hiddenGain, output: { size: 1, activation: outAct, gain: vGain } });
      this.modules = [this.pi, this.v];
    }
    const logStdInit = net.log_std_init;
    this.logStd = cfg.continuous && logStdInit !== null ? tf.tidy(() => tf.variable(tf.fill([cfg.policySize], logStdInit), true)) : null;
    const specs = resolveOptimSpecs(net);
    const clip = net.clip_grad_val;
    const actorVars: Variable[] = [...(this.body?.variables ?? []), ...this.pi.variables, ...(this.logStd ? [this.logStd] : [])];
    const sharing = cfg.sharing;
    const makeOpt = (spec: OptimSpec, vars: readonly Variable[]): Optimizer => {
      const opt = makeOptimizer(tf, spec, vars);
      return sharing === undefined ? opt : sharing.share(tf, opt);
    };
    if (net.shared) {
      const opt = makeOpt(specs.actor, [...actorVars, ...this.v.variables]);
      this.optimizers = [opt];
      this.schedules = [new LrSchedule(net.lr_scheduler_spec ?? net.actor_lr_scheduler_spec, specs.actor.lr)];
    } else {
      const criticSpec = specs.critic as OptimSpec;
      this.optimizers = [makeOpt(specs.actor, actorVars), makeOpt(criticSpec, this.v.variables)];
      this.schedules = [
        new LrSchedule(net.actor_lr_scheduler_spec ?? net.lr_scheduler_spec, specs.actor.lr),
        new LrSchedule(net.critic_lr_scheduler_spec ?? net.lr_scheduler_spec, criticSpec.lr),
      ];
    }
    this.groups = this.optimizers.map((optimizer) => ({ optimizer, clipGradVal: clip }));
  }

  /** Sets each optimizer's lr for its next step at `frame`; returns the first lr. */
  applyLr(frame: number): number {
    let first = 0;
    this.optimizers.forEach((o, i) => {
      const lr = this.schedules[i].apply([o], frame);
      if (i === 0) first = lr;
    });
    return first;
  }

  /**
   * Policy parameters [B, policySize]: logits or means; [B, 2 * policySize] (means, log-scales) when
   * `stdHead`. `training`: dropout on, batch norm on batch statistics (the gradient steps' passes).
   */
  policy(x: Tensor2D, training = false): Tensor2D {
    return this.pi.forward(this.body ? this.body.forward(x, training) : x, training);
  }

  /** V(s) [B]. */
  value(x: Tensor2D, training = false): Tensor1D {
    return this.flat(this.v.forward(this.body ? this.body.forward(x, training) : x, training));
  }

  /** Both heads with one body pass when shared. */
  both(x: Tensor2D, training = false): { pd: Tensor2D; v: Tensor1D } {
    if (this.body === null) return { pd: this.pi.forward(x, training), v: this.value(x, training) };
    const h = this.body.forward(x, training);
    return { pd: this.pi.forward(h, training), v: this.flat(this.v.forward(h, training)) };
  }

  private flat(t: Tensor): Tensor1D {
    return this.tf.reshape(t, [-1]) as Tensor1D;
  }

  /** All trainable variables. */
  variables(): Variable[] {
    return this.optimizers.flatMap((o) => o.vars as Variable[]);
  }

  weights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const m of this.modules) Object.assign(out, m.namedWeights());
    if (this.logStd) out[`${this.pi.name}/log_std`] = this.logStd.dataSync() as Float32Array;
    return out;
  }

  getState(): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    for (const m of this.modules) Object.assign(out, m.getState());
    if (this.logStd) out[`${this.pi.name}/log_std`] = { shape: this.logStd.shape.slice(), data: this.logStd.dataSync() as Float32Array };
    this.optimizers.forEach((o, i) => Object.assign(out, o.getState(`optim${i}`)));
    return out;
  }

  setState(state: Readonly<Record<string, TensorData>>): void {
    for (const m of this.modules) m.setState(state);
    if (this.logStd) {
      const key = `${this.pi.name}/log_std`;
      const t = state[key];
      if (t === undefined || t.data.length !== this.logStd.size) throw new Error(`state tensor '${key}' is missing or has the wrong size`);
      const ls = this.logStd;
      this.tf.tidy(() => ls.assign(this.tf.tensor1d(t.data)));
    }
    this.optimizers.forEach((o, i) => o.setState(`optim${i}`, state));
  }

  dispose(): void {
    for (const m of this.modules) m.dispose();
    this.logStd?.dispose();
    for (const o of this.optimizers) o.dispose();
  }
}
