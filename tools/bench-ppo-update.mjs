#!/usr/bin/env node
// Time of one PPO update and of one act() call, on SLM Lab's ppo_cartpole spec (4 envs x
// time_horizon 256 = batches of 1024, minibatch 128, 15 epochs, 64-64 tanh, separate Adam): the
// agent alone, driven by @gymlab/envs' rollout on CartPole-v1, without the Session around it.
//
//   nice -n 19 node tools/bench-ppo-update.mjs [--updates 3] [--backend wasm|cpu] [--seed 1]
//       [--spec-file FILE] [--spec-name NAME]
//
// Prints the milliseconds of each update (with its optimizer steps) and the median act() latency.
// Needs the libs built (npx tsc -b libs/agents).
import { benchCli, median } from './bench/cli.mjs';

const USAGE = 'usage: bench-ppo-update.mjs [--updates N] [--backend wasm|cpu] [--seed S] [--spec-file FILE] [--spec-name NAME]';
const cli = benchCli('bench-ppo-update', USAGE);
const args = cli.parse({
  updates: { type: 'string', default: '3' },
  backend: { type: 'string', default: 'wasm' },
  seed: { type: 'string', default: '1' },
  'spec-file': { type: 'string', default: '/work/shared/slm_lab_specs/benchmark/ppo/ppo_cartpole.json' },
  'spec-name': { type: 'string', default: 'ppo_cartpole' },
});
const updates = cli.int(args, 'updates', 1);
const seed = cli.int(args, 'seed', 0);
const backendName = cli.backend(args);

const { initBackend } = await cli.importLib('@gymlab/backends');
const { makeVectorEnv, rollout } = await cli.importLib('@gymlab/envs');
const { loadSpec } = await cli.importLib('@gymlab/spec');
const { createAgent } = await cli.importLib('@gymlab/agents');

const spec = cli.loadSpec(loadSpec, args['spec-file'], args['spec-name'], []);
const backend = await initBackend({ gpu: false, backend: backendName });
const env = makeVectorEnv(spec.env.name, spec.env.num_envs);
const agent = createAgent({
  spec,
  observationSpace: env.singleObservationSpace,
  actionSpace: env.singleActionSpace,
  numEnvs: env.numEnvs,
  seed,
  backend,
  devChecks: false,
});

const actMs = [];
const updateMs = [];
const optSteps = [];
const act = (obs) => {
  const t0 = performance.now();
  const action = agent.act(obs, 'train');
  actMs.push(performance.now() - t0);
  return action;
};
rollout(env, act, {
  steps: 1_000_000,
  seed: 0,
  onStep: (s) => {
    const t0 = performance.now();
    const stats = agent.update(s, s.frame);
    if (stats === null) return false;
    updateMs.push(performance.now() - t0);
    optSteps.push(stats.optSteps);
    return updateMs.length >= updates;
  },
});
agent.dispose();
env.close();

console.log(`PPO update on ${backend.name}: ${args['spec-name']} (${spec.env.num_envs} envs, time_horizon ${spec.agent.algorithm.time_horizon}, minibatch ${spec.agent.algorithm.minibatch_size}, ${spec.agent.algorithm.training_epoch} epochs)`);
updateMs.forEach((ms, i) => console.log(`update ${i + 1}: ${ms.toFixed(0)} ms, ${optSteps[i]} optimizer steps (${(ms / optSteps[i]).toFixed(2)} ms per step)`));
console.log(`act(${env.numEnvs} rows): median ${(median(actMs) * 1000).toFixed(0)} us over ${actMs.length} calls`);
