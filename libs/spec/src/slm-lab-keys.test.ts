/**
 * Keys and forms SLM Lab v5.3 accepts: anchor blocks, SLM Lab's defaults, the algorithms, nets and
 * env kwargs of its spec folder, `-s` variables a spec does not use, unfilled `${var}` templates.
 */
import { describe, expect, it } from 'vitest';
import { MissingVariablesError } from './errors.js';
import { loadSpec, loadSpecDetailed, loadSpecFile, resolveSpec, resolveSpecDetailed } from './load.js';
import { SHARED_SPECS, SHARED_SPECS_NEXT, ppoRaw, specFile, specFilesUnder, tempFile, type RawSpec } from './test-utils/files.js';
import { specError } from './test-utils/errors.js';

const edited = (edit: (r: RawSpec) => void): RawSpec => {
  const r = ppoRaw();
  edit(r);
  return r;
};

describe('anchor blocks', () => {
  const yaml = [
    '_meta: &meta',
    '  max_session: 1',
    '  eval_frequency: 500',
    '_net: &net',
    '  type: MLPNet',
    '  hid_layers: [16]',
    'a:',
    '  agent:',
    '    name: PPO',
    '    algorithm: {name: PPO, gamma: 0.99, lam: 0.95, clip_eps_spec: {name: no_decay, start_val: 0.2}, time_horizon: 32, training_epoch: 2}',
    '    memory: {name: OnPolicyBatchReplay}',
    '    net:',
    '      <<: *net',
    '      hid_layers_activation: tanh',
    '  env: {name: CartPole-v1, max_frame: 1000}',
    '  meta: *meta',
  ].join('\n');

  it('top-level keys starting with _ are not specs but their anchors resolve', () => {
    const { names, specs } = loadSpecFile(tempFile('a.yaml', yaml));
    expect(names).toEqual(['a']);
    expect(specs['a']!.meta.eval_frequency).toBe(500);
    expect(specs['a']!.agent.net.hid_layers).toEqual([16]);
    expect(specs['a']!.agent.net.hid_layers_activation).toBe('tanh');
  });

  it('an anchor block is not a spec name, and a file of anchors only has no specs', () => {
    expect(specError(() => loadSpec(tempFile('a.yaml', yaml), '_meta')).message).toContain("no spec named '_meta'");
    expect(specError(() => loadSpecFile(tempFile('b.yaml', '_x: {a: 1}\n'))).message).toContain('no specs in this file');
  });
});

describe("SLM Lab's defaults and keys", () => {
  it('PPO without minibatch_size takes 4', () => {
    expect(resolveSpec(edited((r) => delete r.agent.algorithm['minibatch_size']), 'x').agent.algorithm.minibatch_size).toBe(4);
  });

  it('action_pdtype GumbelSoftmax, normalize_advantages percentile, symlog, MLPNet layer_norm', () => {
    const spec = resolveSpec(
      edited((r) => {
        Object.assign(r.agent.algorithm, { action_pdtype: 'GumbelSoftmax', normalize_advantages: 'percentile', symlog: true });
        r.agent.net['layer_norm'] = true;
      }),
      'x',
    );
    expect([spec.agent.algorithm.action_pdtype, spec.agent.algorithm.normalize_advantages, spec.agent.algorithm.symlog, spec.agent.net.layer_norm]).toEqual(['GumbelSoftmax', 'percentile', true, true]);
    expect(specError(() => resolveSpec(edited((r) => (r.agent.algorithm['normalize_advantages'] = 'percentil')), 'x')).message).toContain('standardize, percentile');
  });

  it('env kwargs are kept when given and absent otherwise; an unknown env key is still an error', () => {
    const spec = resolveSpec(edited((r) => Object.assign(r.env, { continuous: true, life_loss_info: true, repeat_action_probability: 0 })), 'x');
    expect([spec.env.continuous, spec.env.life_loss_info, spec.env.repeat_action_probability]).toEqual([true, true, 0]);
    expect('continuous' in resolveSpec(ppoRaw(), 'x').env).toBe(false);
    const err = specError(() => resolveSpec(edited((r) => (r.env['continous'] = true)), 'x'));
    expect([err.keyPath, err.suggestion]).toEqual(['x.env.continous', 'continuous']);
  });

  it("meta.distributed takes SLM Lab's 'shared' and 'synced'", () => {
    expect(resolveSpec(edited((r) => (r.meta['distributed'] = 'synced')), 'x').meta.distributed).toBe('synced');
    expect(specError(() => resolveSpec(edited((r) => (r.meta['distributed'] = 'hogwild')), 'x')).keyPath).toBe('x.meta.distributed');
  });

  it('Random with net: {} reads as a net it never builds, with a notice', () => {
    const raw = { agent: { name: 'Random', algorithm: { name: 'Random' }, memory: { name: 'OnPolicyReplay' }, net: {} }, env: { name: 'CartPole-v1', max_frame: 100 } };
    const { spec, notices } = resolveSpecDetailed(raw, 'r');
    expect(spec.agent.net.type).toBe('MLPNet');
    expect(notices.join('\n')).toContain('Random builds no net');
    const ppo = specError(() => resolveSpec(edited((r) => (r.agent.net = {})), 'x'));
    expect(ppo.message).toContain("missing required key 'type'");
  });

  it('TorchArcNet takes arc {modules, graph}; batch_norm only false', () => {
    const arc = { modules: { body: { Sequential: [{ LazyLinear: { out_features: 64 } }, { Tanh: null }] } }, graph: { input: 'x', modules: { body: ['x'] }, output: 'body' } };
    const spec = resolveSpec(edited((r) => (r.agent.net = { type: 'TorchArcNet', shared: false, arc, optim_spec: { name: 'Adam' } })), 'x');
    expect(spec.agent.net.arc).toEqual(arc);
    expect(resolveSpec(edited((r) => (r.agent.net = { type: 'TorchArcNet', arc, batch_norm: false, optim_spec: { name: 'Adam' } })), 'x').agent.net.batch_norm).toBe(false);
    expect(specError(() => resolveSpec(edited((r) => (r.agent.net = { type: 'TorchArcNet', arc, batch_norm: true, optim_spec: { name: 'Adam' } })), 'x')).message).toContain('TorchArcNet reads no batch_norm');
  });

  it('SIL and PPOSIL read their replay from the on-policy memory; other algorithms may not set it', () => {
    const sil = edited((r) => {
      Object.assign(r.agent.algorithm, { name: 'PPOSIL', sil_policy_loss_coef: 1, sil_val_loss_coef: 0.01, training_batch_iter: 4, training_iter: 4 });
      r.agent.memory = { name: 'OnPolicyBatchReplay', sil_replay_name: 'Replay', batch_size: 32, max_size: 1000, use_cer: true };
    });
    const spec = resolveSpec(sil, 'x');
    expect([spec.agent.algorithm.sil_val_loss_coef, spec.agent.memory.sil_replay_name, spec.agent.memory.max_size]).toEqual([0.01, 'Replay', 1000]);
    const noReplay = edited((r) => Object.assign(r.agent.algorithm, { name: 'PPOSIL', sil_policy_loss_coef: 1, sil_val_loss_coef: 0.01 }));
    expect(specError(() => resolveSpec(noReplay, 'x')).keyPath).toBe('x.agent.memory.sil_replay_name');
    const ppo = specError(() => resolveSpec(edited((r) => (r.agent.memory = { name: 'OnPolicyBatchReplay', batch_size: 32 })), 'x'));
    expect([ppo.keyPath, ppo.message.includes('SIL and PPOSIL read it')]).toEqual(['x.agent.memory.batch_size', true]);
  });

  it('CrossQ takes policy_delay, the alpha clamps and a critic_net', () => {
    const raw = {
      agent: {
        name: 'CrossQ',
        algorithm: { name: 'CrossQ', gamma: 0.99, policy_delay: 3, log_alpha_max: 0.5 },
        memory: { name: 'Replay', batch_size: 256, max_size: 10000 },
        net: { type: 'MLPNet', hid_layers: [64] },
        critic_net: { type: 'MLPNet', hid_layers: [64], batch_norm: true },
      },
      env: { name: 'Pendulum-v1', num_envs: 4, max_frame: 1000 },
    };
    const spec = resolveSpec(raw, 'c');
    expect([spec.agent.algorithm.policy_delay, spec.agent.algorithm.log_alpha_max, spec.agent.algorithm.log_alpha_min, spec.agent.algorithm.training_iter]).toEqual([3, 0.5, -5, 4]);
    expect(spec.agent.critic_net?.batch_norm).toBe(true);
    expect(resolveSpec(ppoRaw(), 'x').agent.critic_net).toBeNull();
  });
});

describe('-s variables and placeholders', () => {
  it('a dotless -s the spec has no ${var} for is ignored with a warning; a dotted one must exist', () => {
    const { spec, warnings } = loadSpecDetailed(specFile(ppoRaw()), 'x', { sets: ['env=Acrobot-v1', 'max_frame=9'] });
    expect(spec.env.name).toBe('CartPole-v1');
    expect(spec.env.max_frame).toBe(10000);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('-s env=Acrobot-v1 ignored: the spec has no ${env} placeholder');
    expect(specError(() => loadSpec(specFile(ppoRaw()), 'x', { sets: ['env.max_fram=9'] })).suggestion).toBe('max_frame');
  });

  it('an unfilled ${var} is a MissingVariablesError listing every unfilled variable', () => {
    const raw = edited((r) => {
      r.env['name'] = '${env}';
      r.env['max_frame'] = '${max_frame}';
    });
    const err = specError(() => loadSpec(specFile(raw), 'x'));
    expect(err).toBeInstanceOf(MissingVariablesError);
    expect((err as MissingVariablesError).variables).toEqual(['env', 'max_frame']);
    expect(err.message).toContain('pass -s env=VALUE -s max_frame=VALUE');
    expect((specError(() => loadSpec(specFile(raw), 'x', { sets: ['env=CartPole-v1'] })) as MissingVariablesError).variables).toEqual(['max_frame']);
    expect(loadSpec(specFile(raw), 'x', { sets: ['env=CartPole-v1', 'max_frame=500'] }).env.max_frame).toBe(500);
  });
});

describe('every SLM Lab v5.3 spec in ../shared', () => {
  for (const file of [...specFilesUnder(SHARED_SPECS), ...specFilesUnder(SHARED_SPECS_NEXT)]) {
    it(`${file.slice(SHARED_SPECS.length - 'slm_lab_specs'.length)} loads, or needs only its \${var}s`, () => {
      try {
        expect(loadSpecFile(file).names.length).toBeGreaterThan(0);
      } catch (e) {
        if (!(e instanceof MissingVariablesError)) throw e;
        expect(e.variables.every((v) => v === 'env' || v === 'max_frame'), e.message).toBe(true);
      }
    });
  }
});
