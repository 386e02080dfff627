import { makeEnv } from '@gymlab/envs';
import { Rng } from '@gymlab/random';

/** Plays CartPole-v1 with random actions for a few episodes; returns each episode's return. */
export function randomCartPoleReturns(episodes = 3, seed = 0): number[] {
  const env = makeEnv('CartPole-v1'); // TimeLimit(500) applied, as registered
  const rng = new Rng(seed);
  const returns: number[] = [];
  env.reset({ seed });
  for (let ep = 0; ep < episodes; ep++) {
    let total = 0;
    for (;;) {
      const action = env.actionSpace.sample(rng);
      const [, reward, terminated, truncated] = env.step(action);
      total += reward;
      if (terminated || truncated) break;
    }
    returns.push(total);
    env.reset(); // continues the seeded generator
  }
  env.close();
  return returns;
}
