/** `gymlab enjoy RUN_FOLDER [--episodes N] [--record out.gif]` (also `gymlab run enjoy ...`): a line per episode as it ends, then the summary. */
import { EXIT, UsageError } from '@gymlab/cli-kit';
import type { Io } from '@gymlab/cli-kit';

export const ENJOY_OPTIONS = {
  episodes: { type: 'number', default: 5, describe: 'episodes to play (at most 1,000,000)' },
  record: { type: 'string', requiresArg: true, describe: 'write the episodes to FILE: .gif, or .mp4/.webm when ffmpeg is on PATH' },
} as const;

export interface EnjoyArgs {
  readonly path: string;
  readonly episodes: number;
  readonly record?: string;
}

export async function enjoyCommand(a: EnjoyArgs, io: Io, lab: typeof import('@gymlab/lab')): Promise<number> {
  if (!Number.isInteger(a.episodes) || a.episodes < 1) throw new UsageError(`--episodes must be a positive integer (got ${a.episodes})`);
  const r = await lab.enjoy({ ...a, onEpisode: (i, ret) => io.stdout.write(`episode ${i + 1}: return ${ret}\n`) });
  io.stdout.write(lab.formatEnjoy(r));
  return EXIT.ok;
}
