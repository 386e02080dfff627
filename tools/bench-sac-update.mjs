#!/usr/bin/env node
// CPU time per update of an off-policy actor-critic (SoftActorCritic or CrossQ) on an SLM Lab spec:
// the agent alone, driven by @gymlab/envs' rollout, without the Session around it. An update is
// one critic step (with the policy and alpha steps its policy_delay gives it); each due round is
// training_iter of them. Rounds before --skip are not counted (warm-up of the backend).
//
//   nice -n 19 node tools/bench-sac-update.mjs [--rounds 20] [--skip 2] [--backend wasm|cpu] [--seed 1]
//       [--spec-file FILE] [--spec-name NAME]
//
// Defaults: crossq_pendulum of slm_lab_specs_next/benchmark/crossq/crossq_classic.yaml. Prints the
// CPU ms per update (user + system of this process, so other load on the machine does not count)
// and the wall ms. Needs the libs built (npx tsc -b libs/agents).
import { benchCli, median } from './bench/cli.mjs';

const USAGE = 'usage: bench-sac-update.mjs [--rounds N] [--skip N] [--backend wasm|cpu] [--seed S] [--spec-file FILE] [--spec-name NAME]';
const cli = benchCli('bench-sac-update', USAGE);
const args = cli.parse({
  rounds: { type: 'string', default: '20' },
  skip: { type: 'string', default: '2' },
  backend: { type: 'string', default: 'wasm' },
  seed: { type: 'string', default: '1' },
  'spec-file': { type: 'string', default: '/work/shared/slm_lab_specs_next/benchmark/crossq/crossq_classic.yaml' },
  'spec-name': { type: 'string', default: 'crossq_pendulum' },
});
const rounds = cli.int(args, 'rounds', 1);
const skip = cli.int(args, 'skip', 0);
const seed = cli.int(args, 'seed', 0);
const backendName = cli.backend(args);

const { initBackend } = await cli.importLib('@gymlab/backends');
const { makeVectorEnv, rollout } = await cli.importLib('@gymlab/envs');
const { loadSpec } = await cli.importLib('@gymlab/spec');
const { createAgent } = await cli.importLib('@gymlab/agents');

const spec = cli.loadSpec(loadSpec, args['spec-file'], args['spec-name'], []);
const backend = await initBackend({ gpu: false, backend: backendName });
const env = makeVectorEnv(spec.env.name, spec.env.num_envs);
const agent = createAgent({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: env.numEnvs, seed, backend, devChecks: false });

const iters = spec.agent.algorithm.training_iter;
const cpuMs = [];
const wallMs = [];
let seen = 0;
rollout(env, (obs) => agent.act(obs, 'train'), {
  steps: 1_000_000,
  seed: 0,
  onStep: (s) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const stats = agent.update(s, s.frame);
    if (stats === null) return false;
    const c = process.cpuUsage(c0);
    if (++seen > skip) {
      cpuMs.push((c.user + c.system) / 1000 / iters);
      wallMs.push((performance.now() - t0) / iters);
    }
    return cpuMs.length >= rounds;
  },
});
agent.dispose();
env.close();

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const alg = spec.agent.algorithm;
console.log(`${alg.name} on ${backend.name}: ${args['spec-name']} (batch ${spec.agent.memory.batch_size}, training_iter ${iters}, policy_delay ${alg.policy_delay}), ${cpuMs.length} rounds after ${skip}`);
console.log(`per update: ${mean(cpuMs).toFixed(1)} ms CPU (median ${median(cpuMs).toFixed(1)}), ${mean(wallMs).toFixed(1)} ms wall`);
