import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSpec, loadSpecDetailed, loadSpecFile, resolveSpec } from './load.js';
import { REPO_ROOT, SHARED_SPECS, ppoRaw, specFile, specFilesUnder, tempFile } from './test-utils/files.js';

describe('SLM Lab v5 spec files', () => {
  const files = specFilesUnder(SHARED_SPECS);

  it('finds the shared spec files', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of files) {
    it(`loads ${file.slice(SHARED_SPECS.length + 1)} unmodified`, () => {
      const { names, specs } = loadSpecFile(file);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const spec = specs[name]!;
        expect(spec.name).toBe(name);
        expect(Object.isFrozen(spec.agent.algorithm)).toBe(true);
      }
    });
  }

  it('gives equal specs for the YAML and JSON ppo_cartpole', () => {
    const json = loadSpec(join(SHARED_SPECS, 'benchmark/ppo/ppo_cartpole.json'), 'ppo_cartpole');
    const yaml = loadSpec(join(SHARED_SPECS, 'benchmark/ppo/ppo_cartpole.yaml'), 'ppo_cartpole');
    expect(yaml).toEqual(json);
    expect(JSON.stringify(yaml)).toBe(JSON.stringify(json)); // same key order too
  });

  it('reads clip_val_loss as clip_vloss and records it', () => {
    const file = join(SHARED_SPECS, 'benchmark/ppo/ppo_acrobot.json');
    const { spec, notices } = loadSpecDetailed(file, 'ppo_acrobot');
    expect(spec.agent.algorithm.clip_vloss).toBe(false);
    expect('clip_val_loss' in spec.agent.algorithm).toBe(false);
    expect(notices.some((n) => n.includes('ppo_acrobot.agent.algorithm.clip_val_loss') && n.includes("'clip_vloss'"))).toBe(true);
    const raw = ppoRaw();
    (raw['agent'] as { algorithm: Record<string, unknown> }).algorithm['clip_val_loss'] = true;
    expect(resolveSpec(raw, 'x').agent.algorithm.clip_vloss).toBe(true);
  });

  it('reads the quirks: gpu auto, explore_var_spec null, integral floats, A2C agent name', () => {
    const a2c = loadSpec(join(SHARED_SPECS, 'benchmark/a2c/a2c_gae_cartpole.json'), 'a2c_gae_cartpole');
    expect(a2c.agent.name).toBe('A2C');
    expect(a2c.agent.algorithm.name).toBe('ActorCritic');
    expect(a2c.agent.net.gpu).toBe('auto');
    expect(a2c.agent.algorithm.explore_var_spec).toBeNull();
    expect(a2c.agent.net.optim_spec).toBeNull();
    expect(a2c.agent.net.critic_optim_spec?.lr).toBe(0.003);
    const pong = loadSpec(join(SHARED_SPECS, 'experimental/ppo/ppo_lam_search.json'), 'ppo_pong');
    expect(pong.env.max_frame).toBe(10_000_000);
    expect(pong.agent.net.conv_hid_layers).toEqual([
      [32, 8, 4, 0, 1],
      [64, 4, 2, 0, 1],
      [32, 3, 1, 0, 1],
    ]);
  });

  it('loads the project demo spec', () => {
    const spec = loadSpec(join(REPO_ROOT, 'specs/demo.json'), 'ppo_cartpole');
    expect(spec.agent.algorithm.name).toBe('PPO');
    expect(spec.env.name).toBe('CartPole-v1');
  });
});

describe('defaults', () => {
  const spec = resolveSpec(ppoRaw(), 'x');

  it('fills absent keys so nothing is undefined', () => {
    expect(spec.meta.random_seed).toBeNull();
    expect(spec.meta.rigorous_eval).toBe(0);
    expect(spec.meta.max_trial).toBe(1);
    expect(spec.meta.log_frequency).toBe(128); // = eval_frequency
    expect(spec.env.num_envs).toBe(1);
    expect(spec.env.max_t).toBeNull();
    expect(spec.agent.memory.use_cer).toBe(false);
    expect(spec.agent.net.update_type).toBe('replace');
    expect(spec.agent.net.loss_spec).toEqual({ name: 'MSELoss' });
    expect(spec.agent.net.optim_spec).toEqual({ name: 'Adam', lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false });
    expect(spec.agent.algorithm.clip_eps_spec).toEqual({ name: 'no_decay', start_val: 0.2, end_val: 0.2, start_step: 0, end_step: 0, frequency: 60 });
    expect(spec.agent.algorithm.normalize_advantages).toBe(true);
    expect(spec.search).toBeNull();
    const walk = (v: unknown, path: string): void => {
      expect(v, path).not.toBeUndefined();
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    };
    walk(spec, 'x');
  });

  it('fills optimizer kwargs with torch defaults per optimizer', () => {
    const raw = ppoRaw();
    const net = (raw['agent'] as { net: Record<string, unknown> }).net;
    net['optim_spec'] = { name: 'RMSprop', lr: 0.01 };
    expect(resolveSpec(raw, 'x').agent.net.optim_spec).toEqual({ name: 'RMSprop', lr: 0.01, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false });
    net['optim_spec'] = { name: 'AdamW', lr: 0.01 };
    expect(resolveSpec(raw, 'x').agent.net.optim_spec?.weight_decay).toBe(0.01);
  });

  it('derives SAC training_iter and training_start_step like SLM Lab', () => {
    const sac = loadSpecFile(join(SHARED_SPECS, 'benchmark/sac/sac_pendulum.json')).specs['sac_pendulum']!;
    expect(sac.agent.algorithm.training_iter).toBe(4); // given
    const raw = JSON.parse(JSON.stringify({ agent: sac.agent, env: sac.env, meta: sac.meta })) as { agent: { algorithm: Record<string, unknown> } };
    delete raw.agent.algorithm['training_iter'];
    delete raw.agent.algorithm['training_start_step'];
    const derived = resolveSpec(raw, 'sac');
    expect(derived.agent.algorithm.training_iter).toBe(sac.env.num_envs);
    expect(derived.agent.algorithm.training_start_step).toBe(1000); // max(1000, batch_size 256)
    (raw.agent as unknown as { memory: { batch_size: number } }).memory.batch_size = 2048;
    expect(resolveSpec(raw, 'sac').agent.algorithm.training_start_step).toBe(2048);
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.agent.net.hid_layers)).toBe(true);
    expect(() => {
      (spec.env as { max_frame: number }).max_frame = 1;
    }).toThrow(TypeError);
  });

  it('reloads a resolved spec (as the lab writes it) to the same spec', () => {
    for (const file of specFilesUnder(SHARED_SPECS)) {
      const { names, specs } = loadSpecFile(file);
      for (const name of names) {
        const written = tempFile('spec.json', JSON.stringify({ [name]: specs[name] }));
        expect(loadSpec(written, name)).toEqual(specs[name]);
      }
    }
  });
});

describe('YAML', () => {
  it('supports anchors, aliases and merge keys', () => {
    const file = tempFile(
      'anchors.yaml',
      `base: &base
  agent:
    name: PPO
    algorithm: &algo
      name: PPO
      gamma: 0.99
      lam: 0.95
      clip_eps_spec: {name: no_decay, start_val: 0.2}
      time_horizon: 128
      minibatch_size: 64
      training_epoch: 4
    memory: {name: OnPolicyBatchReplay}
    net: &net
      type: MLPNet
      hid_layers: [32]
      hid_layers_activation: tanh
      optim_spec: {name: Adam, lr: 0.001}
      use_same_optim: true
  env: &env
    name: CartPole-v1
    max_frame: 1000
variant:
  agent:
    name: PPO
    algorithm:
      <<: *algo
      gamma: 0.9
    memory: {name: OnPolicyBatchReplay}
    net: *net
  env:
    <<: *env
    num_envs: 4
`,
    );
    const { specs } = loadSpecFile(file);
    expect(specs['variant']!.agent.algorithm.gamma).toBe(0.9);
    expect(specs['variant']!.agent.algorithm.lam).toBe(0.95);
    expect(specs['variant']!.agent.net).toEqual(specs['base']!.agent.net);
    expect(specs['variant']!.env.num_envs).toBe(4);
    expect(specs['variant']!.env.max_frame).toBe(1000);
  });

  it('refuses custom tags (never executes code)', () => {
    const file = tempFile('tag.yaml', 'x: !!python/object/apply:os.system ["echo hi"]\n');
    expect(() => loadSpecFile(file)).toThrow(/malformed YAML at line 1, column \d+/);
  });
});

describe('specFile helper sanity', () => {
  it('writes a loadable spec', () => {
    expect(loadSpec(specFile(ppoRaw()), 'x').agent.algorithm.lam).toBe(0.95);
  });
});
