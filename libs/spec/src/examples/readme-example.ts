// The usage example of libs/spec/README.md (kept here so a test runs it).
import { fileURLToPath } from 'node:url';
import { SpecError, loadSpec, loadSpecDetailed, parseSearchSpace } from '../index.js';

const demo = fileURLToPath(new URL('../../../../specs/demo.json', import.meta.url));

export function readmeExample(): { frames: number; gamma: number; seed: number | null; error: string; dims: number } {
  // Load one named spec: validated, defaults filled, deep-frozen.
  const spec = loadSpec(demo, 'ppo_cartpole');
  console.log(spec.agent.algorithm.name, spec.env.name, spec.meta.random_seed); // PPO CartPole-v1 null

  // -s key=value: dotted-path overrides (values parse as JSON) and ${key} placeholders.
  const { spec: short, notices } = loadSpecDetailed(demo, 'ppo_cartpole', {
    sets: ['env.max_frame=2000', 'agent.algorithm.gamma=0.98', 'meta.random_seed=42'],
  });
  notices.forEach((n) => console.log(n)); // ...ppo_cartpole.env.max_frame: set to 2000 (-s)

  // Bad input is a SpecError with one line naming file, key path and the nearest valid key.
  let error = '';
  try {
    loadSpec(demo, 'ppo_cartpole', { sets: ['agent.algorithm.gama=0.9'] });
  } catch (e) {
    if (e instanceof SpecError) error = `${e.keyPath} -> ${e.suggestion}`; // ppo_cartpole.agent.algorithm.gama -> gamma
  }

  // Search blocks parse to a flat list of { path, dist, args }.
  const dims = parseSearchSpace({ 'agent.net.optim_spec.lr__loguniform': [1e-4, 1e-2], agent: { algorithm: { lam__choice: [0.9, 0.95] } } });

  return { frames: short.env.max_frame, gamma: short.agent.algorithm.gamma, seed: short.meta.random_seed, error, dims: dims.length };
}
