import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import type { NetSpec } from '@gymlab/spec';
import { AgentConfigError, NotBuiltError } from '../types.js';
import { thrown } from '../test-utils/thrown.js';
import { buildNet, builtNetTypes, checkNetSpec } from './factory.js';
import { Mlp } from './mlp.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

const net = (o: Record<string, unknown>): NetSpec =>
  ({ type: 'MLPNet', hid_layers: [8, 4], hid_layers_activation: 'tanh', out_layer_activation: null, init_fn: 'orthogonal_', layer_norm: false, batch_norm: false, arc: null, normalize: false, ...o }) as unknown as NetSpec;

describe('net factory', () => {
  it('builds every SLM Lab net type; an unknown type throws NotBuiltError naming it and the built ones', () => {
    expect(builtNetTypes()).toEqual(['ConvNet', 'DuelingConvNet', 'DuelingMLPNet', 'MLPNet', 'RecurrentNet', 'TorchArcNet']);
    const e = thrown(() => checkNetSpec(net({ type: 'TransformerNet' }), [4], 'q'));
    expect(e).toBeInstanceOf(NotBuiltError);
    expect((e as NotBuiltError).what).toBe('net TransformerNet: not built yet');
    expect(e.message).toBe(`net TransformerNet: not built yet; agent.net.type 'TransformerNet' is not built in gymlab yet; built: ${builtNetTypes().join(', ')}`);
  });
  it('ConvNet and RecurrentNet build with SLM Lab\'s tail; DuelingConvNet only as a Q net', () => {
    const conv = buildNet(tf, net({ type: 'ConvNet', conv_hid_layers: [[4, 3, 1, 0, 1]], fc_hid_layers: [8], hid_layers_activation: 'relu', init_fn: null }), [2, 6, 6], { name: 'c', seed: 1, output: { size: 3, activation: null } });
    expect(conv.outputSize).toBe(3);
    expect(conv.forward(tf.zeros([5, 2 * 6 * 6])).shape).toEqual([5, 3]);
    const rnn = buildNet(tf, net({ type: 'RecurrentNet', cell_type: 'GRU', rnn_hidden_size: 6, rnn_num_layers: 1, seq_len: 3, fc_hid_layers: [], bidirectional: false }), [4], { name: 'r', seed: 1, output: { size: 2, activation: null } });
    expect(rnn.forward(tf.zeros([5, 4])).shape).toEqual([5, 2]);
    expect(thrown(() => checkNetSpec(net({ type: 'DuelingConvNet', conv_hid_layers: [[4, 3, 1, 0, 1]], fc_hid_layers: [8] }), [2, 6, 6], 'actor-critic'))).toBeInstanceOf(AgentConfigError);
    [conv, rnn].forEach((n) => n.dispose());
  });
  it('MLPNet with an output layer is the Mlp the algorithms built before the factory (same seed, same weights)', () => {
    const built = buildNet(tf, net({}), [3], { name: 'net', seed: 12, output: { size: 2, activation: null } });
    const direct = new Mlp(tf, { inputSize: 3, hidden: [8, 4], activation: 'tanh', outputSize: 2, outputActivation: null, initFn: 'orthogonal_', seed: 12, name: 'net' });
    expect(built.namedWeights()).toEqual(direct.namedWeights());
    const body = buildNet(tf, net({}), [3], { name: 'body', seed: 12 });
    expect(body.outputSize).toBe(4);
    expect(body.variableNames()).toEqual(['body/l0/kernel', 'body/l0/bias', 'body/l1/kernel', 'body/l1/bias']);
    [built, direct, body].forEach((n) => n.dispose());
  });
  it('checks without tensors, one line each: flat inputs, dueling only for Q, a shared body needs hidden layers, arc required', () => {
    const before = tf.memory().numTensors;
    expect(thrown(() => checkNetSpec(net({}), [2, 3], 'q')).message).toBe('MLPNet needs a flat Box observation space, got shape [2, 3]');
    expect(thrown(() => checkNetSpec(net({ type: 'DuelingMLPNet' }), [4], 'actor-critic')).message).toMatch(/^agent\.net\.type DuelingMLPNet computes Q-values for the DQN family/);
    expect(thrown(() => checkNetSpec(net({ type: 'DuelingMLPNet', hid_layers: [] }), [4], 'q')).message).toMatch(/^agent\.net\.hid_layers must not be empty for DuelingMLPNet/);
    expect(thrown(() => checkNetSpec(net({ hid_layers: [] }), [4], 'actor-critic', true)).message).toBe('agent.net.hid_layers must not be empty for a shared actor-critic net');
    expect(thrown(() => checkNetSpec(net({ type: 'TorchArcNet' }), [4], 'q'))).toBeInstanceOf(AgentConfigError);
    checkNetSpec(net({ type: 'TorchArcNet', arc: { modules: { b: { LazyLinear: { out_features: 3 } } }, graph: { input: 'x', modules: { b: ['x'] }, output: 'b' } } }), [4], 'actor-critic', true);
    expect(tf.memory().numTensors).toBe(before);
  });
  it('TorchArcNet normalize scales the input by 1/255 (image inputs, as SLM Lab)', () => {
    const arc = { modules: { b: { LazyLinear: { out_features: 2 } } }, graph: { input: 'x', modules: { b: ['x'] }, output: 'b' } };
    const plain = buildNet(tf, net({ type: 'TorchArcNet', arc }), [3], { name: 'n', seed: 1 });
    const scaled = buildNet(tf, net({ type: 'TorchArcNet', arc, normalize: true }), [3], { name: 'n', seed: 1 });
    const a = tf.tidy(() => plain.forward(tf.tensor2d([[1, 2, 3]])).dataSync());
    const b = tf.tidy(() => scaled.forward(tf.tensor2d([[255, 510, 765]])).dataSync());
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
    plain.dispose();
    scaled.dispose();
  });
});
