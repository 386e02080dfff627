import { loadSpec } from '@gymlab/spec';
import { loadCheckpoint, runSession } from '../index.js';
import type { SessionResult } from '../index.js';

/** Runs one Session of a spec in this process, writing its folder, then reads its best checkpoint. */
export async function readmeExample(specFile: string, dir: string): Promise<{ result: SessionResult; bestFrame: number }> {
  const spec = loadSpec(specFile, 'ppo_cartpole', { sets: ['env.max_frame=2000', 'agent.net.backend=cpu'] });
  const result = await runSession({
    spec,
    seed: 42, // env, eval env and agent seeds derive from it
    dir, // metrics.csv, metrics.json, checkpoints/{latest,best}/ (null: write nothing)
    onProgress: (p) => console.log(`frame ${p.frame}/${p.maxFrame}  return_ma ${p.returnMa}`),
  });
  // result.rows are the metrics.csv rows; result.metrics SLM Lab's session metrics
  const best = loadCheckpoint(`${dir}/checkpoints/best`); // AgentState tensors + manifest info
  return { result, bestFrame: best.info.frame };
}
