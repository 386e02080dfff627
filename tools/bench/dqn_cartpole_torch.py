#!/usr/bin/env python3
"""DQN on CartPole-v1 in PyTorch: the reference side of tools/bench-dqn-cartpole.sh.

SLM Lab v5's DQN family (kengz/SLM-Lab, slm_lab/agent/algorithm/dqn.py, memory/replay.py) for an
MLPNet spec such as dqn_boltzmann_cartpole, read from an SLM Lab spec file, organised as gymlab's
DqnAgent (libs/agents/src/algorithms/dqn.ts) so that both sides do the same work per frame:
  - num_envs CartPole-v1 envs (the PPO bench's SyncVectorCartPole: Gymnasium's dynamics in
    Python floats); one online-net forward per vector step and an action per sub-env by the spec's
    action_policy (boltzmann: sample softmax(Q / tau); epsilon_greedy), the explore variable
    linearly decayed over frames (linear_decay);
  - a Replay ring buffer (numpy, max_size rows), one add per sub-env transition; a training round is
    due after an add when seen_size > training_start_step and head % training_frequency == 0; a
    round samples training_iter batches uniformly with replacement (use_cer: the newest transition
    last) and takes training_batch_iter optimizer steps on each;
  - y = r + gamma (1 - terminated) max_a Q_target(s', a) (VanillaDQN: the online net; DoubleDQN:
    a' by the online net, valued by the target net), computed outside the gradient, once per batch
    for DQN (its target net does not move within a round, so SLM Lab's per-step recomputation gives
    the same numbers) and before every step for the others; loss_spec on Q(s, a) (gather), global
    gradient norm clipped to clip_grad_val, one Adam/AdamW step;
  - the target net copied when frame % update_frequency < num_envs (replace) or blended (polyak).
It runs a fixed number of frames on one CPU thread and prints one JSON line of results.
"""
import json
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as err:  # the shell driver checks first; this is the fallback message
    print(f'dqn_cartpole_torch.py: {err}; needs NumPy and PyTorch for this python '
          f'({sys.executable}); on Debian: apt-get install python3-torch', file=sys.stderr)
    sys.exit(3)
from ppo_cartpole_torch import ACTIVATIONS, SyncVectorCartPole, cli_main, mlp, side_result  # noqa: E402

LOSSES = {'MSELoss': nn.MSELoss, 'SmoothL1Loss': nn.SmoothL1Loss, 'HuberLoss': nn.HuberLoss, 'L1Loss': nn.L1Loss}


def load_dqn_spec(path, name):
    with open(path) as f:
        spec = json.load(f)[name]
    algo, mem, net, env = spec['agent']['algorithm'], spec['agent']['memory'], spec['agent']['net'], spec['env']
    problems = []
    if algo['name'] not in ('VanillaDQN', 'DQN', 'DoubleDQN'):
        problems.append(f"agent.algorithm.name is {algo['name']}")
    if algo['action_policy'] not in ('boltzmann', 'epsilon_greedy'):
        problems.append(f"agent.algorithm.action_policy is {algo['action_policy']}")
    if algo['explore_var_spec']['name'] != 'linear_decay':
        problems.append('agent.algorithm.explore_var_spec.name must be linear_decay')
    if mem['name'] != 'Replay':
        problems.append(f"agent.memory.name is {mem['name']}")
    if net['type'] != 'MLPNet' or net.get('hid_layers_activation', 'relu') not in ACTIVATIONS:
        problems.append('agent.net must be an MLPNet with tanh, relu, selu or sigmoid')
    if net['optim_spec']['name'] not in ('Adam', 'AdamW') or env['name'] != 'CartPole-v1':
        problems.append('agent.net.optim_spec must be Adam or AdamW and env.name CartPole-v1')
    if problems:
        sys.exit(f'dqn_cartpole_torch.py: {path} {name}: this benchmark supports only DQN-family MLPNet specs with '
                 'Replay on CartPole-v1: ' + '; '.join(problems))
    ev = algo['explore_var_spec']
    return dict(
        algo=algo['name'], policy=algo['action_policy'], explore=(ev['start_val'], ev['end_val'], ev['start_step'], ev['end_step']),
        gamma=algo['gamma'], training_iter=algo['training_iter'], training_batch_iter=algo['training_batch_iter'],
        training_frequency=algo['training_frequency'], training_start_step=algo['training_start_step'],
        batch_size=mem['batch_size'], max_size=mem['max_size'], use_cer=mem.get('use_cer', False),
        hid_layers=net['hid_layers'], activation=net.get('hid_layers_activation', 'relu'), clip_grad_val=net.get('clip_grad_val'),
        loss=net.get('loss_spec', {'name': 'MSELoss'})['name'], optim=net['optim_spec'],
        update_type=net.get('update_type', 'replace'), update_frequency=net.get('update_frequency', 1),
        polyak_coef=net.get('polyak_coef', 0.0), num_envs=env['num_envs'])


def linear_decay(start, end, start_step, end_step, frame):
    """SLM Lab's linear_decay: start before start_step, end after end_step, linear in between."""
    if frame < start_step:
        return start
    slope = (end - start) / (end_step - start_step)
    return max(slope * (frame - start_step) + start, end) if start > end else min(slope * (frame - start_step) + start, end)


class Replay:
    """SLM Lab's Replay: a ring buffer sampled uniformly with replacement; use_cer puts the newest row last."""

    def __init__(self, max_size, batch_size, use_cer, rng):
        self.s = np.zeros((max_size, 4), np.float32)
        self.ns = np.zeros((max_size, 4), np.float32)
        self.a = np.zeros(max_size, np.int64)
        self.r = np.zeros(max_size, np.float32)
        self.t = np.zeros(max_size, np.float32)
        self.max_size, self.batch_size, self.use_cer, self.rng = max_size, batch_size, use_cer, rng
        self.size, self.seen, self.head = 0, 0, -1

    def add(self, s, a, r, ns, t):
        self.head = (self.head + 1) % self.max_size
        h = self.head
        self.s[h], self.a[h], self.r[h], self.ns[h], self.t[h] = s, a, r, ns, t
        self.size = min(self.size + 1, self.max_size)
        self.seen += 1

    def sample(self):
        idx = self.rng.integers(self.size, size=self.batch_size)
        if self.use_cer:
            idx[-1] = self.head
        return (torch.from_numpy(self.s[idx]), torch.from_numpy(self.a[idx]), torch.from_numpy(self.r[idx]),
                torch.from_numpy(self.ns[idx]), torch.from_numpy(self.t[idx]))


def run(hp, frames, seed):
    torch.manual_seed(seed)
    n = hp['num_envs']
    net = mlp(4, hp['hid_layers'], hp['activation'], 2)
    target = mlp(4, hp['hid_layers'], hp['activation'], 2) if hp['algo'] != 'VanillaDQN' else None
    if target is not None:
        target.load_state_dict(net.state_dict())
    o = hp['optim']
    optim_cls = torch.optim.AdamW if o['name'] == 'AdamW' else torch.optim.Adam
    optim = optim_cls(net.parameters(), lr=o['lr'])
    loss_fn = LOSSES[hp['loss']]()
    params = list(net.parameters())
    rng = np.random.default_rng(seed)
    memory = Replay(hp['max_size'], hp['batch_size'], hp['use_cer'], rng)
    venv = SyncVectorCartPole(n, seed)
    fixed_targets = hp['algo'] == 'DQN'

    def targets_of(r, ns, t):
        with torch.no_grad():
            if hp['algo'] == 'VanillaDQN':
                next_v = net(ns).max(dim=-1).values
            elif hp['algo'] == 'DoubleDQN':
                next_v = target(ns).gather(-1, net(ns).argmax(dim=-1, keepdim=True)).squeeze(-1)
            else:
                next_v = target(ns).max(dim=-1).values
            return r + hp['gamma'] * (1 - t) * next_v

    def train_round():
        steps = 0
        for _ in range(hp['training_iter']):
            s, a, r, ns, t = memory.sample()
            y = None
            for _ in range(hp['training_batch_iter']):
                if y is None or not fixed_targets:
                    y = targets_of(r, ns, t)
                q = net(s).gather(-1, a.unsqueeze(-1)).squeeze(-1)
                loss = loss_fn(q, y)
                optim.zero_grad()
                loss.backward()
                if hp['clip_grad_val'] is not None:
                    nn.utils.clip_grad_norm_(params, hp['clip_grad_val'])
                optim.step()
                steps += 1
        return steps

    frame, opt_steps = 0, 0
    explore = hp['explore'][0]
    start, cpu_start = time.perf_counter(), time.process_time()
    obs = venv.reset()
    while frame < frames:
        with torch.no_grad():
            q = net(torch.from_numpy(obs))
        if hp['policy'] == 'boltzmann':
            action = torch.distributions.Categorical(logits=q / explore).sample().numpy()
        else:
            greedy = q.argmax(dim=-1).numpy()
            action = np.where(rng.random(n) < explore, rng.integers(2, size=n), greedy)
        next_obs_reset, next_obs, rewards, terms, _ = venv.step(action)
        due = False
        for i in range(n):
            memory.add(obs[i], action[i], rewards[i], next_obs[i], terms[i])
            if memory.seen > hp['training_start_step'] and memory.head % hp['training_frequency'] == 0:
                due = True
        obs = next_obs_reset
        frame += n
        if due:
            opt_steps += train_round()
        explore = linear_decay(*hp['explore'], frame)
        if target is not None:
            if hp['update_type'] == 'polyak':
                with torch.no_grad():
                    for pt, p in zip(target.parameters(), params):
                        pt.mul_(1 - hp['polyak_coef']).add_(p, alpha=hp['polyak_coef'])
            elif frame % hp['update_frequency'] < n:
                target.load_state_dict(net.state_dict())
    return side_result(frame, start, cpu_start, venv.finished_returns, opt_steps=opt_steps)

def main():
    cli_main(__doc__, 'dqn_cartpole_torch.py', 'dqn_boltzmann_cartpole', 10000, load_dqn_spec, run)


if __name__ == '__main__':
    main()
