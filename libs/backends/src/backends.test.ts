import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, candidateBackends, computePath, initBackend } from './index.js';

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
  it('on CPU, fast comes first when it fits the spec; a GPU request or a named backend is not changed by it', () => {
    expect(candidateBackends({ gpu: false, backend: null, fastFits: true })).toEqual(['fast', 'wasm', 'cpu']);
    expect(candidateBackends({ gpu: 'auto', backend: null, fastFits: true })).toEqual(['tensorflow-gpu', 'fast', 'tensorflow', 'wasm', 'cpu']);
    expect(candidateBackends({ gpu: false, backend: null, fastFits: false })).toEqual(['wasm', 'cpu']);
    expect(candidateBackends({ gpu: true, backend: null, fastFits: true })).toEqual(['tensorflow-gpu', 'webgpu']);
    for (const named of ['wasm', 'cpu', 'tensorflow', 'webgpu'] as const) expect(candidateBackends({ gpu: false, backend: named, fastFits: true })).toEqual([named]);
  });
  it('names the compute path: fast, or tfjs on its backend', () => {
    expect(computePath('fast')).toBe('fast');
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
    expect(b.fast?.module).toBeTruthy();
    expect(candidateBackends({ gpu: 'auto', backend: null })).not.toContain('fast');
    expect((await initBackend({ gpu: false, backend: null, fastFits: true })).name).toBe('fast');
    expect((await initBackend({ gpu: false, backend: null })).name).toBe('wasm');
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
