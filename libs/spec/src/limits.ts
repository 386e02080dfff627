/**
 * Upper bounds on the sizes a spec asks for, checked before anything is allocated: a spec that asks
 * for 10^8 envs or a 10^6-wide layer would otherwise pass every type check, make a run folder and
 * then stall the machine while it allocates. Each bound is far above what any SLM Lab v5 spec uses
 * (largest there: 32 envs, 512-wide layers, a 10^6-transition replay, 10^7 frames, 16 sessions), and
 * each message names the memory the value would need.
 */
import { fail, type ValidateContext } from './validate.js';

type Obj = Record<string, unknown>;

export const LIMITS = {
  num_envs: 1024,
  layer_width: 16_384,
  parameters: 100_000_000,
  replay_size: 10_000_000,
  max_frame: 10_000_000_000,
  max_session: 256,
  max_trial: 100_000,
  batch: 1_000_000,
} as const;

const GiB = 2 ** 30;
const gib = (bytes: number): string => `${Number((bytes / GiB).toPrecision(3)).toLocaleString('en-US')} GiB`;
const fmt = (n: number): string => n.toLocaleString('en-US');

/** Bytes per env: a classic-control env is about 1 KiB; one MuJoCo MjData is 13-15 MiB. */
const ENV_BYTES = { small: 1024, mujoco: 15 * 2 ** 20 };
/** Parameters, gradients and two Adam moments, float32 each. */
const BYTES_PER_PARAM = 16;
/** One transition of the smallest env (CartPole): state, next state (4 float32 each), action, reward, done. */
const MIN_TRANSITION_BYTES = 4 * 4 * 2 + 3 * 8;

/** The parameter count of a chain of dense layers of these widths (input and output layers not counted). */
function denseParams(widths: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < widths.length; i++) n += (widths[i - 1]! + 1) * widths[i]!;
  return n;
}

const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);

/** Refuses a resolved spec whose sizes exceed `LIMITS`, naming the key, the bound and the memory. */
export function checkLimits(resolved: object, name: string, ctx: ValidateContext): void {
  const spec = resolved as Obj;
  const agent = spec['agent'] as Obj;
  const net = (agent['net'] ?? {}) as Obj;
  const memory = (agent['memory'] ?? {}) as Obj;
  const algo = (agent['algorithm'] ?? {}) as Obj;
  const env = spec['env'] as Obj;
  const meta = spec['meta'] as Obj;
  const at = (...keys: (string | number)[]): (string | number)[] => [name, ...keys];
  const over = (v: unknown, max: number): v is number => typeof v === 'number' && v > max;

  const numEnvs = env['num_envs'];
  if (over(numEnvs, LIMITS.num_envs)) {
    fail(ctx, at('env', 'num_envs'), `${fmt(numEnvs)} is more than ${fmt(LIMITS.num_envs)} (allowed: 1 to ${fmt(LIMITS.num_envs)}; ${fmt(numEnvs)} envs would need ${gib(numEnvs * ENV_BYTES.small)} as classic-control envs, ${gib(numEnvs * ENV_BYTES.mujoco)} as MuJoCo envs)`);
  }
  for (const key of ['hid_layers', 'fc_hid_layers'] as const) {
    const widths = nums(net[key]);
    widths.forEach((w, i) => {
      if (w > LIMITS.layer_width) fail(ctx, at('agent', 'net', key, i), `layer width ${fmt(w)} is more than ${fmt(LIMITS.layer_width)} (allowed: 1 to ${fmt(LIMITS.layer_width)})`);
    });
    const params = denseParams(widths);
    if (params > LIMITS.parameters) {
      fail(ctx, at('agent', 'net', key), `these layers alone hold ${fmt(params)} parameters, more than ${fmt(LIMITS.parameters)} (they would need ${gib(params * BYTES_PER_PARAM)} with gradients and Adam moments)`);
    }
  }
  const rnn = net['rnn_hidden_size'];
  if (over(rnn, LIMITS.layer_width)) fail(ctx, at('agent', 'net', 'rnn_hidden_size'), `${fmt(rnn)} is more than ${fmt(LIMITS.layer_width)} (allowed: 1 to ${fmt(LIMITS.layer_width)})`);
  const size = memory['max_size'];
  if (over(size, LIMITS.replay_size)) {
    fail(ctx, at('agent', 'memory', 'max_size'), `${fmt(size)} transitions is more than ${fmt(LIMITS.replay_size)} (allowed: up to ${fmt(LIMITS.replay_size)}; at least ${gib(size * MIN_TRANSITION_BYTES)} even for CartPole's 4-number observations)`);
  }
  for (const [where, key] of [[memory, 'batch_size'], [algo, 'minibatch_size'], [algo, 'time_horizon']] as const) {
    const v = where[key];
    if (over(v, LIMITS.batch)) fail(ctx, at('agent', where === memory ? 'memory' : 'algorithm', key), `${fmt(v)} is more than ${fmt(LIMITS.batch)} (allowed: 1 to ${fmt(LIMITS.batch)})`);
  }
  const frames = env['max_frame'];
  if (over(frames, LIMITS.max_frame)) fail(ctx, at('env', 'max_frame'), `${fmt(frames)} frames is more than ${fmt(LIMITS.max_frame)} (allowed: up to ${fmt(LIMITS.max_frame)}: about 12 days at 10,000 frames/s)`);
  if (over(meta['max_session'], LIMITS.max_session)) fail(ctx, at('meta', 'max_session'), `${fmt(meta['max_session'] as number)} is more than ${LIMITS.max_session} (allowed: 1 to ${LIMITS.max_session})`);
  if (over(meta['max_trial'], LIMITS.max_trial)) fail(ctx, at('meta', 'max_trial'), `${fmt(meta['max_trial'] as number)} is more than ${fmt(LIMITS.max_trial)} (allowed: 1 to ${fmt(LIMITS.max_trial)})`);
}
