/** The CrossQ tests' small specs in crossq_classic.yaml's shape (tfjs and fast paths). */
import { resolveSpec, type Spec } from '@gymlab/spec';

type Obj = Record<string, unknown>;

const sequential = (layers: readonly Obj[]): Obj => ({ modules: { body: { Sequential: layers } }, graph: { input: 'x', modules: { body: ['x'] }, output: 'body' } });

/** crossq_classic.yaml's critic arc, narrowed: [Linear, BatchRenorm, ReLU] x 2 (BatchRenorm kwargs overridable). */
export const brnArc = (warmup = 5, brnKwargs: Obj = {}): Obj => {
  const brn = { LazyBatchRenorm1d: { momentum: 0.01, eps: 0.001, warmup_steps: warmup, ...brnKwargs } };
  return sequential([{ LazyLinear: { out_features: 16 } }, brn, { ReLU: null }, { LazyLinear: { out_features: 16 } }, brn, { ReLU: null }]);
};

/** crossq_classic.yaml's actor arc, narrowed: [Linear, ReLU] x 2. */
export const plainArc = (): Obj => sequential([{ LazyLinear: { out_features: 16 } }, { ReLU: null }, { LazyLinear: { out_features: 16 } }, { ReLU: null }]);

export interface CrossQSpecOptions {
  readonly algorithm?: Obj;
  /** Overrides of agent.critic_net. */
  readonly critic?: Obj;
  /** Overrides of agent.net (e.g. a TorchArcNet actor, `backend: 'fast'`). */
  readonly net?: Obj;
}

/** A small CrossQ spec: 2 envs, batch 16, training from frame 32, MLPNet actor 16x16, critics `brnArc()`. */
export function crossqSpec(env: string, o: CrossQSpecOptions = {}): Spec {
  const discrete = env === 'CartPole-v1';
  const common = { hid_layers_activation: 'relu', clip_grad_val: null, loss_spec: { name: 'MSELoss' }, optim_spec: { name: 'Adam', lr: 0.001 } };
  const algorithm = { name: 'CrossQ', action_pdtype: discrete ? 'Categorical' : 'Normal', action_policy: 'default', gamma: 0.99, training_iter: 2, training_frequency: 1, training_start_step: 32, policy_delay: 1, ...o.algorithm };
  const agent = {
    name: 'CrossQ',
    algorithm,
    memory: { name: 'Replay', batch_size: 16, max_size: 300, use_cer: false },
    net: { type: 'MLPNet', hid_layers: [16, 16], ...common, ...o.net },
    critic_net: { type: 'TorchArcNet', arc: brnArc(), ...common, ...o.critic },
  };
  const meta = { distributed: false, log_frequency: 500, eval_frequency: 500, max_session: 1, max_trial: 1 };
  return resolveSpec({ agent, env: { name: env, num_envs: 2, max_t: null, max_frame: 2000 }, meta }, 'crossq_test');
}
