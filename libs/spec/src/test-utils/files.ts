import { mkdtempSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo root, from this file (libs/spec/src/test-utils). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The read-only SLM Lab spec files, next to the repo (`../shared/slm_lab_specs`). */
export const SHARED_SPECS = join(REPO_ROOT, '..', 'shared', 'slm_lab_specs');
/** More SLM Lab v5.3.0 files (`../shared/slm_lab_specs_next`): TorchArc, SIL, CrossQ, Box2D, MuJoCo, Atari. */
export const SHARED_SPECS_NEXT = join(REPO_ROOT, '..', 'shared', 'slm_lab_specs_next');

/** Every .json/.yaml/.yml file under a folder. */
export function specFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...specFilesUnder(full));
    else if (/\.(json|ya?ml)$/.test(name)) out.push(full);
  }
  return out;
}

/** Write a temp file and return its path. */
export function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gymlab-spec-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A small valid PPO spec (raw), for tests to modify. */
export function ppoRaw(): RawSpec {
  return {
    agent: {
      name: 'PPO',
      algorithm: {
        name: 'PPO',
        gamma: 0.99,
        lam: 0.95,
        clip_eps_spec: { name: 'no_decay', start_val: 0.2 },
        entropy_coef_spec: { name: 'no_decay', start_val: 0.01 },
        val_loss_coef: 0.5,
        time_horizon: 128,
        minibatch_size: 64,
        training_epoch: 4,
      },
      memory: { name: 'OnPolicyBatchReplay' },
      net: {
        type: 'MLPNet',
        shared: false,
        hid_layers: [64, 64],
        hid_layers_activation: 'tanh',
        use_same_optim: true,
        optim_spec: { name: 'Adam', lr: 0.001 },
      },
    },
    env: { name: 'CartPole-v1', max_frame: 10000 },
    meta: { eval_frequency: 128, max_session: 2 },
  };
}

/** Write `{ [name]: raw }` as a JSON spec file. */
export function specFile(raw: unknown, name = 'x'): string {
  return tempFile('spec.json', JSON.stringify({ [name]: raw }, null, 2));
}

type Obj = Record<string, unknown>;
/** The shape of ppoRaw(), loose enough for tests to edit any key. */
export type RawSpec = Obj & { agent: Obj & { algorithm: Obj; memory: Obj; net: Obj }; env: Obj; meta: Obj };
