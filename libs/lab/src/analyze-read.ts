/**
 * Reading a run folder back for analysis: spec.json, provenance.json and each session's
 * metrics.csv / eval.csv. Only the saved files are read (never a live result), so the analysis
 * written at the end of a run and `gymlab analyze` later see exactly the same inputs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CsvError, EVAL_COLUMNS, SESSION_COLUMNS, parseCsv } from '@gymlab/analysis';
import type { EvalRow, SessionRow } from '@gymlab/analysis';
import { SpecError, loadSpec } from '@gymlab/spec';
import type { Spec } from '@gymlab/spec';
import { EVAL_CSV, PROVENANCE_FILE, SESSION_CSV, SPEC_FILE } from './run/run-folder.js';

/** A run folder (or a file in it) that cannot be analysed: one line naming the path and what is wrong. */
export class RunFolderError extends Error {
  override readonly name = 'RunFolderError';
}

/** One session folder as saved: its checkpoint rows, and its eval rows when it has an eval.csv. */
export interface SessionFiles {
  readonly session: number;
  readonly dir: string;
  readonly rows: readonly SessionRow[];
  /** null when the folder has no eval.csv. */
  readonly evalRows: readonly EvalRow[] | null;
}

/** One trial folder: its sessions that have a metrics.csv, in session order. */
export interface TrialFiles {
  readonly trial: number;
  readonly dir: string;
  readonly sessions: readonly SessionFiles[];
  /** Session folders without a metrics.csv (a session stopped before its first write). */
  readonly skipped: readonly string[];
}

/** A run folder's spec, provenance and trial folder names. */
export interface RunFiles {
  readonly dir: string;
  readonly spec: Spec;
  readonly provenance: Readonly<Record<string, unknown>>;
  /** Trial numbers with a `trial_<t>` folder, ascending. */
  readonly trials: readonly number[];
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/** `prefix_<n>` entries of `dir` that are folders, as numbers, ascending (none when `dir` does not exist). */
export function numberedFolders(dir: string, prefix: string): number[] {
  const re = new RegExp(`^${prefix}_(0|[1-9][0-9]*)$`);
  const out: number[] = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const m = re.exec(e.name);
    if (m !== null && e.isDirectory()) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new RunFolderError(`${file}: cannot read (${firstLine(err)})`);
  }
}

/** A numeric CSV file with the given columns; malformed content names the file. */
export function readCsvFile<C extends string>(file: string, columns: readonly C[]): Record<C, number | null>[] {
  try {
    return parseCsv(readText(file), columns).rows;
  } catch (err) {
    if (err instanceof CsvError) throw new RunFolderError(`${file}: ${firstLine(err).replace(/^parseCsv: /, '')}`);
    throw err;
  }
}

/** The one spec of a run's spec.json, validated again by the spec loader. */
export function readRunSpec(runDir: string): Spec {
  const file = join(runDir, SPEC_FILE);
  let names: string[];
  try {
    const parsed: unknown = JSON.parse(readText(file));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    names = Object.keys(parsed);
  } catch (err) {
    if (err instanceof RunFolderError) throw err;
    throw new RunFolderError(`${file}: not a spec file (${firstLine(err)}; allowed: { "<spec_name>": { ...spec } })`);
  }
  if (names.length !== 1) throw new RunFolderError(`${file}: holds ${names.length} specs (allowed: exactly one, as gymlab run writes it)`);
  try {
    return loadSpec(file, names[0]);
  } catch (err) {
    if (err instanceof SpecError) throw new RunFolderError(firstLine(err));
    throw err;
  }
}

function readProvenance(runDir: string): Record<string, unknown> {
  const file = join(runDir, PROVENANCE_FILE);
  try {
    const parsed: unknown = JSON.parse(readText(file));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    if (err instanceof RunFolderError) throw err;
    throw new RunFolderError(`${file}: not valid provenance (${firstLine(err)}; allowed: the JSON object gymlab run writes)`);
  }
}

/**
 * Checks that `runDir` is a run folder (a folder with spec.json and provenance.json) and reads
 * its spec and provenance. Throws `RunFolderError` otherwise.
 */
export function readRunFiles(runDir: string): RunFiles {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new RunFolderError(`${runDir}: not a folder (allowed: a run folder made by gymlab run)`);
  const missing = [SPEC_FILE, PROVENANCE_FILE].filter((f) => !existsSync(join(runDir, f)));
  if (missing.length > 0) throw new RunFolderError(`${runDir}: not a run folder (missing ${missing.join(' and ')})`);
  return { dir: runDir, spec: readRunSpec(runDir), provenance: readProvenance(runDir), trials: numberedFolders(runDir, 'trial') };
}

/** Reads every `session_<s>` folder of a trial folder; eval.csv is read only when `withEval`. */
export function readTrialFiles(trialFolder: string, trial: number, withEval: boolean): TrialFiles {
  const sessions: SessionFiles[] = [];
  const skipped: string[] = [];
  for (const s of numberedFolders(trialFolder, 'session')) {
    const dir = join(trialFolder, `session_${s}`);
    const csv = join(dir, SESSION_CSV);
    if (!existsSync(csv)) {
      skipped.push(dir);
      continue;
    }
    const evalCsv = join(dir, EVAL_CSV);
    sessions.push({
      session: s,
      dir,
      rows: readCsvFile(csv, SESSION_COLUMNS),
      evalRows: withEval && existsSync(evalCsv) ? readCsvFile(evalCsv, EVAL_COLUMNS) : null,
    });
  }
  return { trial, dir: trialFolder, sessions, skipped };
}

/** The label of a run folder in titles: its folder name. */
export const runLabel = (runDir: string): string => basename(runDir.replace(/[\\/]+$/, '')) || runDir;
