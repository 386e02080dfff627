/**
 * A spec's hyperparameters as TensorBoard HParams values: the scalar leaves of `agent.algorithm`,
 * `agent.net`, `agent.memory` and `env`, keyed by their dotted spec path.
 */
import type { HParamValue } from '@gymlab/tensorboard';
import type { Spec } from '@gymlab/spec';

function flattenInto(out: Record<string, HParamValue>, path: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'number') out[path] = Number.isFinite(value) ? value : String(value);
  else if (typeof value === 'string' || typeof value === 'boolean') out[path] = value;
  else if (Array.isArray(value)) out[path] = JSON.stringify(value);
  else if (typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) flattenInto(out, `${path}.${key}`, v);
  }
}

/**
 * The HParams of a session, e.g. `agent.algorithm.gamma: 0.99`,
 * `agent.algorithm.clip_eps_spec.start_val: 0.2`, `agent.net.hid_layers: "[64,64]"`,
 * `env.name: "CartPole-v1"`. Rules: numbers as numbers (±Infinity and NaN as their string),
 * strings and booleans as they are, arrays as their JSON text (TensorBoard has no list values),
 * objects flattened one dotted key per leaf, null and absent keys left out.
 */
export function specHParams(spec: Spec): Record<string, HParamValue> {
  const out: Record<string, HParamValue> = {};
  flattenInto(out, 'agent.algorithm', spec.agent.algorithm);
  flattenInto(out, 'agent.net', spec.agent.net);
  flattenInto(out, 'agent.memory', spec.agent.memory);
  flattenInto(out, 'env', spec.env);
  return out;
}
