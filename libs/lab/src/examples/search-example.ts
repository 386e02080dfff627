import { bestTrial, createRunContext, rankValue, startSearch } from '../index.js';

/** Runs a small random search over PPO's gamma, lam and lr on CartPole; returns the best trial. */
export async function searchExample(specFile: string, dataDir: string): Promise<{ runDir: string; trials: number; best: Readonly<Record<string, unknown>> | null; value: number | null }> {
  const ctx = createRunContext({
    dataDir, // the run folder goes here: experiment.json, experiment.csv, best_spec.json, trial_<t>/...
    log: (line) => console.log(line), // trial started / finished / stopped early
  });
  const { runDir, state } = await startSearch(
    {
      specFile, // specs/ppo_cartpole_search.json
      specName: 'ppo_cartpole_search',
      sets: ['env.max_frame=2000', 'meta.max_trial=2', 'meta.search_sampler=random', 'meta.search_scheduler=null'],
    },
    ctx,
  );
  const best = bestTrial(state.trials, state.metric); // ranked by final_return_ma_iqm by default
  return { runDir, trials: state.trials.length, best: best?.values ?? null, value: best === null ? null : rankValue(best.metrics, state.metric) };
}
