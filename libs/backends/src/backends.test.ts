import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, candidateBackends, computePath, initBackend, isFastPath } from './index.js';
import { nativeStatus } from './fast/test-utils/kinds.js';

describe('candidateBackends', () => {
  it('honours an explicit backend over gpu', () => {
    expect(candidateBackends({ gpu: true, backend: 'cpu' })).toEqual(['cpu']);
  });
  it('auto prefers native tensorflow, then falls back to wasm and cpu', () => {
    expect(candidateBackends({ gpu: 'auto', backend: null })).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
  });
  it('gpu false never tries a GPU backend', () => {
    expect(candidateBackends({ gpu: false, backend: null })).toEqual(['wasm', 'cpu']);
  });
  it('on CPU, the fast path comes first when it fits the spec (native kernels, then wasm ones); a GPU request or a named backend is not changed by it', () => {
    expect(candidateBackends({ gpu: false, backend: null, fastFits: true })).toEqual(['native', 'fast', 'wasm', 'cpu']);
    expect(candidateBackends({ gpu: 'auto', backend: null, fastFits: true })).toEqual(['tensorflow-gpu', 'native', 'fast', 'tensorflow', 'wasm', 'cpu']);
    expect(candidateBackends({ gpu: false, backend: null, fastFits: false })).toEqual(['wasm', 'cpu']);
    expect(candidateBackends({ gpu: true, backend: null, fastFits: true })).toEqual(['tensorflow-gpu', 'webgpu']);
    for (const named of ['wasm', 'cpu', 'tensorflow', 'webgpu', 'fast', 'native'] as const) expect(candidateBackends({ gpu: false, backend: named, fastFits: true })).toEqual([named]);
  });
  it('names the compute path: fast or native (the fast path on its wasm or native kernels), or tfjs on its backend', () => {
    expect(computePath('fast')).toBe('fast');
    expect(computePath('native')).toBe('native');
    expect([isFastPath('fast'), isFastPath('native'), isFastPath('wasm'), isFastPath(null)]).toEqual([true, true, false, false]);
    expect(computePath('wasm')).toBe('tfjs-wasm');
    expect(computePath('tensorflow-gpu')).toBe('tfjs-tensorflow-gpu');
  });
});

describe('initBackend', () => {
  it('activates wasm and computes with it', async () => {
    const b = await initBackend({ gpu: false, backend: 'wasm' });
    expect(b.name).toBe('wasm');
    expect(b.tf.getBackend()).toBe('wasm');
    expect(Array.from(b.tf.add(b.tf.tensor1d([1, 2]), 1).dataSync())).toEqual([2, 3]);
    expect(b.versions['tfjs-core']).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('fast: loads the fast CPU path\'s kernels, tfjs on wasm for the rest; picked on CPU only when it fits', async () => {
    const b = await initBackend({ gpu: false, backend: 'fast' });
    expect(b.name).toBe('fast');
    expect(b.tf.getBackend()).toBe('wasm');
    expect(b.fast?.kind).toBe('wasm');
    expect(candidateBackends({ gpu: 'auto', backend: null })).not.toContain('fast');
    // native first where it is built (nativeStatus: on x86-64 with a compiler it must be)
    const native = nativeStatus().kernels !== null;
    expect((await initBackend({ gpu: false, backend: null, fastFits: true })).name).toBe(native ? 'native' : 'fast');
    expect((await initBackend({ gpu: false, backend: null })).name).toBe('wasm');
  });
  it('native: the fast path on the native kernels, tfjs on wasm for the rest; unavailable: one line saying how to get it', async () => {
    const s = nativeStatus();
    if (s.kernels !== null) {
      const b = await initBackend({ gpu: false, backend: 'native' });
      expect([b.name, b.tf.getBackend(), b.fast?.kind]).toEqual(['native', 'wasm', 'native']);
      return;
    }
    const err = await initBackend({ gpu: false, backend: 'native' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/^backend 'native' is not available: the native kernels (are not built|cannot run here)[^\n]*$/);
  });
  it('activates cpu', async () => {
    const b = await initBackend({ gpu: 'auto', backend: 'cpu' });
    expect(b.tf.getBackend()).toBe('cpu');
  });
  it('auto falls back to an available backend when native ones are missing', async () => {
    const b = await initBackend({ gpu: 'auto', backend: null });
    expect(['tensorflow-gpu', 'tensorflow', 'wasm']).toContain(b.name);
  });
  it('an explicit missing backend fails with one line saying what to install', async () => {
    let caught: unknown;
    try {
      await initBackend({ gpu: 'auto', backend: 'tensorflow-gpu' });
    } catch (err) {
      caught = err;
    }
    // Where tfjs-node-gpu is installed this test has nothing to prove.
    if (caught === undefined) return;
    expect(caught).toBeInstanceOf(BackendUnavailableError);
    const msg = (caught as Error).message;
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg).toContain('npm install @tensorflow/tfjs-node-gpu');
  });
});
