import { describe, expect, it } from 'vitest';
import { NET_BACKENDS, loadSpec, type Spec } from '@gymlab/spec';
import { BACKEND_NAMES, nativeKernelsAvailable } from '@gymlab/backends';
import { makeEnv } from '@gymlab/envs';
import { computeRequest, describeCompute } from './compute.js';
import { runSession } from './session.js';
import { preflight } from '../run/run.js';
import { SHARED_DEMO } from '../test-utils/paths.js';

/** SLM Lab's demo PPO on CartPole (names no backend), tiny: 2 envs x 200 frames. */
const SMALL = ['env.num_envs=2', 'env.max_frame=200', 'meta.log_frequency=100', 'agent.algorithm.time_horizon=32', 'agent.algorithm.minibatch_size=16', 'agent.algorithm.training_epoch=1'];
const demo = (sets: readonly string[] = []): Spec => loadSpec(SHARED_DEMO, 'ppo_cartpole', { sets: [...SMALL, ...sets] });

/** The CPU default where the fast path fits: its native kernels where they are built (backends' kernels.test.ts fails where they should be and are not), else its wasm ones. */
const FAST_DEFAULT = nativeKernelsAvailable() ? 'native' : 'fast';

/** The request made on the spec's env's spaces (classic-control envs hold no resources). */
const requestOf = (spec: Spec): ReturnType<typeof computeRequest> => {
  const { observationSpace, actionSpace } = makeEnv(spec.env.name);
  return computeRequest(spec, observationSpace, actionSpace);
};

describe('the compute path of a spec', () => {
  it('agent.net.backend allows exactly the backends @gymlab/backends has', () => {
    expect([...NET_BACKENDS].sort()).toEqual([...BACKEND_NAMES].sort());
  });

  it('a spec naming no backend asks for the fast path on CPU when the fast path runs it, and says why not when it does not', () => {
    const spec = demo();
    expect(spec.agent.net.backend).toBeNull();
    expect(requestOf(spec)).toEqual({ request: { gpu: spec.agent.net.gpu, backend: null, fastFits: true }, fit: { fits: true, algorithm: 'PPO' } });
    const sigmoid = requestOf(demo(['agent.net.hid_layers_activation=sigmoid']));
    expect(sigmoid.request.fastFits).toBe(false);
    expect(sigmoid.fit).toEqual({ fits: false, reason: "the fast path does not run activation 'sigmoid'" });
  });

  it('describes the path and why, in one line', () => {
    const spec = demo();
    const fits = { fits: true, algorithm: 'PPO' } as const;
    const not = { fits: false, reason: "the fast path does not run agent.net.type 'ConvNet'" } as const;
    expect(describeCompute(spec, fits, 'fast')).toBe('fast (PPO)');
    expect(describeCompute(spec, fits, 'native')).toBe('native (PPO)');
    expect(describeCompute(spec, not, 'wasm')).toBe("tfjs-wasm (the fast path does not run agent.net.type 'ConvNet')");
    expect(describeCompute(spec, fits, 'wasm')).toBe('tfjs-wasm (the fast kernels did not load: run `npm run build`)');
    expect(describeCompute(demo(['agent.net.backend=cpu']), fits, 'cpu')).toBe('tfjs-cpu (agent.net.backend: cpu)');
    expect(describeCompute(demo(['agent.net.backend=fast']), fits, 'fast')).toBe('fast (PPO; agent.net.backend: fast)');
    expect(describeCompute(demo(['agent.net.backend=native']), fits, 'native')).toBe('native (PPO; agent.net.backend: native)');
    expect(describeCompute(demo(['agent.net.gpu=true']), fits, 'tensorflow-gpu')).toBe('tfjs-tensorflow-gpu (agent.net.gpu: true found a GPU)');
  });
});

describe('sessions and preflight compute where the spec says, the fast path by default on CPU (native kernels where built)', () => {
  it.each([
    [`names no backend: ${FAST_DEFAULT}`, [], FAST_DEFAULT, `${FAST_DEFAULT} (PPO)`],
    ['names fast: the wasm kernels wherever native ones are built', ['agent.net.backend=fast'], 'fast', 'fast (PPO; agent.net.backend: fast)'],
    ['names wasm: wasm', ['agent.net.backend=wasm'], 'wasm', 'tfjs-wasm (agent.net.backend: wasm)'],
    ['off the fast path: wasm, with the reason', ['agent.net.hid_layers_activation=sigmoid'], 'wasm', "tfjs-wasm (the fast path does not run activation 'sigmoid')"],
  ] as const)('%s', async (_what, sets, backend, compute) => {
    const pre = await preflight({ specFile: SHARED_DEMO, specName: 'ppo_cartpole', mode: 'dev', sets: [...SMALL, ...sets] });
    expect({ backend: pre.backend, compute: pre.compute }).toEqual({ backend, compute });
    const r = await runSession({ spec: pre.spec, seed: 3, dir: null });
    expect({ backend: r.backend, compute: r.compute }).toEqual({ backend, compute });
    expect(r.optSteps).toBeGreaterThan(0);
  });
});
