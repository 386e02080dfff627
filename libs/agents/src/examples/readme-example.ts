// The usage example of libs/agents/README.md, kept here so a test runs it.
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv, rollout } from '@gymlab/envs';
import { resolveSpec } from '@gymlab/spec';
import { createAgent, type TrainStats } from '../index.js';

export async function readmeExample(): Promise<{ updates: TrainStats[]; evalAction: number; evalReturns: number[] }> {
  // 1. A spec in SLM Lab's shape (normally loaded from a file with loadSpec).
  const spec = resolveSpec(
    {
      agent: {
        name: 'PPO',
        algorithm: {
          name: 'PPO', gamma: 0.99, lam: 0.95,
          clip_eps_spec: { name: 'no_decay', start_val: 0.2, end_val: 0.2, start_step: 0, end_step: 0 },
          entropy_coef_spec: { name: 'no_decay', start_val: 0.01, end_val: 0.01, start_step: 0, end_step: 0 },
          val_loss_coef: 0.5, time_horizon: 64, minibatch_size: 32, training_epoch: 4,
        },
        memory: { name: 'OnPolicyBatchReplay' },
        net: {
          type: 'MLPNet', shared: false, hid_layers: [64, 64], hid_layers_activation: 'tanh', init_fn: 'orthogonal_',
          clip_grad_val: 0.5, loss_spec: { name: 'MSELoss' },
          actor_optim_spec: { name: 'Adam', lr: 3e-4 }, critic_optim_spec: { name: 'Adam', lr: 1e-3 },
        },
      },
      env: { name: 'CartPole-v1', num_envs: 2, max_t: null, max_frame: 1000 },
      meta: { distributed: false, log_frequency: 500, eval_frequency: 500, max_session: 1, max_trial: 1 },
    },
    'readme_ppo',
  );

  // 2. A backend, an env, and the agent built from the env's spaces.
  const backend = await initBackend({ gpu: false, backend: 'wasm' });
  const env = makeVectorEnv('CartPole-v1', spec.env.num_envs);
  const agent = createAgent({
    spec, backend, seed: 0, devChecks: true, numEnvs: env.numEnvs,
    observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace,
  });

  // 3. The loop: act, step, hand the transitions back; update trains every time_horizon steps.
  //    rollout (@gymlab/envs) resets the env and steps it 128 times (256 frames) with the policy.
  const updates: TrainStats[] = [];
  rollout(env, (obs) => agent.act(obs, 'train'), {
    steps: 128,
    seed: 0,
    onStep: (step) => {
      // step: { obs, action, reward, nextObs, terminated, truncated } (what update takes), finished, frame
      const stats = agent.update(step, step.frame);
      if (stats) updates.push(stats); // { loss, terms: { policy, value, entropy, ... }, gradNorm, optSteps }
    },
  });

  // 4. Deterministic actions: one, and the returns of 4 evaluation episodes; a checkpoint as plain data.
  const evalAction = agent.act(env.reset({ seed: 1 }), 'eval')[0];
  const evalReturns = rollout(env, (obs) => agent.act(obs, 'eval'), { episodes: 4, seed: 100 }).episodeReturns;
  const checkpoint = agent.getState(); // { algorithm, tensors, meta }
  agent.setState(checkpoint);
  agent.dispose();
  env.close();
  return { updates, evalAction, evalReturns };
}
