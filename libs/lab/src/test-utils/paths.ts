import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** SLM Lab's demo spec in ../shared (read-only). */
export const SHARED_DEMO = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/demo.json', import.meta.url));
export const SHARED_SPECS = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The built worker entry the Trial forks. */
export const DIST_WORKER = fileURLToPath(new URL('../../dist/session/session-worker.js', import.meta.url));

/** Builds the lab (and the libs it references) when its dist is missing. */
export function ensureLabBuilt(): void {
  if (existsSync(DIST_WORKER)) return;
  execFileSync('npx', ['tsc', '-b', 'libs/lab'], { cwd: REPO_ROOT, stdio: 'ignore', timeout: 300_000 });
}

/** CSV lines without the time columns (wall_time, fps). */
export function withoutTimeColumns(csv: string): string[] {
  const lines = csv.trim().split('\n');
  const header = lines[0].split(',');
  const drop = new Set(['wall_time', 'fps'].map((c) => header.indexOf(c)));
  return lines.map((l) => l.split(',').filter((_, i) => !drop.has(i)).join(','));
}
