/**
 * The built-in models: MJCF files in the package's `assets/mujoco/` folder, each named as the
 * default `xml_file` of its Gymnasium env (`hopper.xml`, `walker2d_v5.xml`, ...). tsc does not
 * copy assets, so they stay at the package root; this module sits two folders below it both as
 * source (`src/mujoco/`, vitest) and built (`dist/mujoco/`), so one relative URL finds them.
 */
import { readFileSync } from 'node:fs';

const ASSETS = new URL('../../assets/mujoco/', import.meta.url);

/** The MJCF text of the built-in model `fileName` (compiled models are shared by text: `compileModel`). */
export function builtInModel(fileName: string): string {
  return readFileSync(new URL(fileName, ASSETS), 'utf8');
}
