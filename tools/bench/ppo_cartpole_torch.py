#!/usr/bin/env python3
"""PPO on CartPole-v1 in PyTorch: the reference side of tools/bench-ppo-cartpole.sh.

The same algorithm as SLM Lab v5's PPO (kengz/SLM-Lab, slm_lab/agent/algorithm/ppo.py) with a
non-shared actor and critic, read from an SLM Lab spec file, organised as gymlab's PpoAgent
(libs/agents/src/algorithms/ppo.ts) so that both sides do the same work per frame:
  - num_envs CartPole-v1 envs (Gymnasium's dynamics, float64 Python physics, 500-step limit),
    stepped one after the other (a sync vector env), auto-reset on termination or truncation;
    one actor forward and a categorical sample per vector step;
  - every time_horizon vector steps, a batch of time_horizon * num_envs transitions; in one pass
    outside the gradient: old-policy log-probs (the policy before this update, as SLM Lab's
    old_net), V(s) and V(s') of every step's true next state; GAE(gamma, lam) in float64,
    bootstrapped except at terminations and cut at episode ends; value targets = GAE + V;
  - training_epoch epochs, each over the shuffled batch in minibatches of minibatch_size:
    advantages standardised per minibatch, clipped surrogate (log-ratio clamped to +-20) +
    entropy bonus for the actor, val_loss_coef * MSE for the critic; one backward of the sum,
    each net's gradient clipped to a global norm of clip_grad_val, each net's own Adam step.
It runs a fixed number of frames on one CPU thread and prints one JSON line of results.
"""
import argparse
import json
import math
import sys
import time

try:
    import numpy as np
    from torch_blas import blas_info  # first: it unsets OPENBLAS_CORETYPE/L2_SIZE before torch loads
    import torch
    from torch import nn
except ImportError as err:  # the shell driver checks first; this is the fallback message
    print(f'ppo_cartpole_torch.py: {err}; needs NumPy and PyTorch for this python '
          f'({sys.executable}); on Debian: apt-get install python3-torch', file=sys.stderr)
    sys.exit(3)


class CartPole:
    """CartPole-v1 as Gymnasium defines it (euler integration), in float64 Python floats."""

    gravity = 9.8
    masscart = 1.0
    masspole = 0.1
    total_mass = masspole + masscart
    length = 0.5  # half the pole's length
    polemass_length = masspole * length
    force_mag = 10.0
    tau = 0.02
    theta_threshold = 12 * 2 * math.pi / 360
    x_threshold = 2.4
    max_episode_steps = 500

    def __init__(self, rng):
        self.rng = rng
        self.state = (0.0, 0.0, 0.0, 0.0)
        self.t = 0

    def reset(self):
        self.state = tuple(float(v) for v in self.rng.uniform(-0.05, 0.05, size=4))
        self.t = 0
        return self.state

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta = math.cos(theta)
        sintheta = math.sin(theta)
        temp = (force + self.polemass_length * theta_dot * theta_dot * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta * costheta / self.total_mass))
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x = x + self.tau * x_dot
        x_dot = x_dot + self.tau * xacc
        theta = theta + self.tau * theta_dot
        theta_dot = theta_dot + self.tau * thetaacc
        self.state = (x, x_dot, theta, theta_dot)
        self.t += 1
        terminated = (x < -self.x_threshold or x > self.x_threshold
                      or theta < -self.theta_threshold or theta > self.theta_threshold)
        truncated = (not terminated) and self.t >= self.max_episode_steps
        return self.state, 1.0, terminated, truncated


class SyncVectorCartPole:
    """num_envs CartPoles stepped in turn; an ended episode resets in the same step."""

    def __init__(self, num_envs, seed):
        self.envs = [CartPole(np.random.default_rng(seed + i)) for i in range(num_envs)]
        self.returns = [0.0] * num_envs
        self.finished_returns = []

    def reset(self):
        return np.array([e.reset() for e in self.envs], dtype=np.float32)

    def step(self, actions):
        n = len(self.envs)
        obs = np.empty((n, 4), dtype=np.float32)
        next_obs = np.empty((n, 4), dtype=np.float32)  # the true next state (before any reset)
        rewards = np.empty(n, dtype=np.float32)
        terms = np.empty(n, dtype=np.float32)
        truncs = np.empty(n, dtype=np.float32)
        for i, env in enumerate(self.envs):
            s, r, term, trunc = env.step(int(actions[i]))
            next_obs[i] = s
            rewards[i] = r
            terms[i] = 1.0 if term else 0.0
            truncs[i] = 1.0 if trunc else 0.0
            self.returns[i] += r
            if term or trunc:
                self.finished_returns.append(self.returns[i])
                self.returns[i] = 0.0
                s = env.reset()
            obs[i] = s
        return obs, next_obs, rewards, terms, truncs


ACTIVATIONS = {'tanh': nn.Tanh, 'relu': nn.ReLU, 'sigmoid': nn.Sigmoid}


def mlp(in_dim, hid_layers, activation, out_dim):
    layers, d = [], in_dim
    for h in hid_layers:
        layers += [nn.Linear(d, h), ACTIVATIONS[activation]()]
        d = h
    layers.append(nn.Linear(d, out_dim))
    return nn.Sequential(*layers)


def gae(rewards, values, next_values, terms, truncs, gamma, lam):
    """GAE over [T, n] float64 arrays, per env column, backwards in time:
    delta_t = r_t + gamma * (1 - term_t) * V(s'_t) - V(s_t);
    A_t = delta_t + gamma * lam * (1 - end_t) * A_{t+1}, end_t = term_t or trunc_t or t = T-1."""
    T = rewards.shape[0]
    deltas = rewards + gamma * (1.0 - terms) * next_values - values
    not_end = 1.0 - np.maximum(terms, truncs)
    advs = np.zeros_like(rewards)
    future = np.zeros(rewards.shape[1])
    for t in reversed(range(T)):
        future = deltas[t] + (gamma * lam * not_end[t] * future if t < T - 1 else 0.0)
        advs[t] = future
    return advs


def load_ppo_spec(path, name):
    with open(path) as f:
        spec = json.load(f)[name]
    algo, net, env = spec['agent']['algorithm'], spec['agent']['net'], spec['env']
    problems = []
    if algo['name'] != 'PPO':
        problems.append(f"agent.algorithm.name is {algo['name']}")
    for key in ('clip_eps_spec', 'entropy_coef_spec'):
        if algo[key]['name'] != 'no_decay':
            problems.append(f'agent.algorithm.{key}.name is {algo[key]["name"]}')
    if net['type'] != 'MLPNet' or net.get('shared', False):
        problems.append('agent.net must be a non-shared MLPNet')
    if env['name'] != 'CartPole-v1':
        problems.append(f"env.name is {env['name']}")
    for key in ('actor_optim_spec', 'critic_optim_spec'):
        if net[key]['name'] != 'Adam':
            problems.append(f'agent.net.{key}.name is {net[key]["name"]}')
    if problems:
        sys.exit(f'ppo_cartpole_torch.py: {path} {name}: this benchmark supports only constant-schedule '
                 f'PPO with Adam on CartPole-v1: ' + '; '.join(problems))
    return dict(
        num_envs=env['num_envs'], gamma=algo['gamma'], lam=algo['lam'],
        clip_eps=algo['clip_eps_spec']['start_val'], entropy_coef=algo['entropy_coef_spec']['start_val'],
        val_loss_coef=algo.get('val_loss_coef', 1.0), time_horizon=algo['time_horizon'],
        minibatch_size=algo['minibatch_size'], training_epoch=algo['training_epoch'],
        hid_layers=net['hid_layers'], activation=net['hid_layers_activation'],
        clip_grad_val=net.get('clip_grad_val'), actor_lr=net['actor_optim_spec']['lr'],
        critic_lr=net['critic_optim_spec']['lr'])


def run(hp, frames, seed):
    torch.manual_seed(seed)
    n, horizon = hp['num_envs'], hp['time_horizon']
    actor = mlp(4, hp['hid_layers'], hp['activation'], 2)
    critic = mlp(4, hp['hid_layers'], hp['activation'], 1)
    actor_optim = torch.optim.Adam(actor.parameters(), lr=hp['actor_lr'])
    critic_optim = torch.optim.Adam(critic.parameters(), lr=hp['critic_lr'])
    params = (list(actor.parameters()), list(critic.parameters()))
    venv = SyncVectorCartPole(n, seed)
    batch_size = horizon * n
    mb = min(hp['minibatch_size'], batch_size)

    def train(states, actions, rewards, terms, truncs, next_states):
        m = batch_size
        flat_states, flat_actions = states.reshape(m, 4), actions.reshape(m)
        with torch.no_grad():
            old_log_probs = torch.distributions.Categorical(logits=actor(flat_states)).log_prob(flat_actions)
            v_all = critic(torch.cat([flat_states, next_states.reshape(m, 4)])).squeeze(-1).double().numpy()
        values, next_values = v_all[:m].reshape(horizon, n), v_all[m:].reshape(horizon, n)
        advs64 = gae(rewards.double().numpy(), values, next_values, terms.double().numpy(),
                     truncs.double().numpy(), hp['gamma'], hp['lam'])
        advs = torch.from_numpy(advs64.reshape(m)).float()
        v_targets = torch.from_numpy((advs64 + values).reshape(m)).float()
        updates = 0
        for _ in range(hp['training_epoch']):
            perm = torch.randperm(m)
            for start in range(0, m, mb):
                idx = perm[start:start + mb]
                s, a, adv, vt, old = flat_states[idx], flat_actions[idx], advs[idx], v_targets[idx], old_log_probs[idx]
                if len(adv) > 1:
                    adv = (adv - adv.mean()) / (adv.std() + 1e-08)
                pd = torch.distributions.Categorical(logits=actor(s))
                ratios = torch.exp(torch.clamp(pd.log_prob(a) - old, -20.0, 20.0))
                sur1 = ratios * adv
                sur2 = torch.clamp(ratios, 1.0 - hp['clip_eps'], 1.0 + hp['clip_eps']) * adv
                policy_loss = -torch.min(sur1, sur2).mean() - hp['entropy_coef'] * pd.entropy().mean()
                val_loss = hp['val_loss_coef'] * nn.functional.mse_loss(critic(s).squeeze(-1), vt)
                actor_optim.zero_grad()
                critic_optim.zero_grad()
                (policy_loss + val_loss).backward()
                if hp['clip_grad_val'] is not None:
                    for group in params:
                        nn.utils.clip_grad_norm_(group, hp['clip_grad_val'])
                actor_optim.step()
                critic_optim.step()
                updates += 1
        return updates

    start = time.perf_counter()
    obs = venv.reset()
    buf_s = torch.empty(horizon, n, 4)
    buf_a = torch.empty(horizon, n, dtype=torch.long)
    buf_r = torch.empty(horizon, n)
    buf_t = torch.empty(horizon, n)
    buf_tr = torch.empty(horizon, n)
    buf_ns = torch.empty(horizon, n, 4)
    frame, updates, t = 0, 0, 0
    while frame < frames:
        state = torch.from_numpy(obs)
        with torch.no_grad():
            action = torch.distributions.Categorical(logits=actor(state)).sample()
        obs, next_obs, rewards, terms, truncs = venv.step(action.numpy())
        buf_s[t], buf_a[t], buf_ns[t] = state, action, torch.from_numpy(next_obs)
        buf_r[t], buf_t[t], buf_tr[t] = torch.from_numpy(rewards), torch.from_numpy(terms), torch.from_numpy(truncs)
        t += 1
        frame += n
        if t == horizon:
            updates += train(buf_s, buf_a, buf_r, buf_t, buf_tr, buf_ns)
            t = 0
    seconds = time.perf_counter() - start
    last = venv.finished_returns[-100:]
    return dict(
        side='torch', frames=frame, seconds=seconds, fps=frame / seconds,
        minibatch_updates=updates, opt_steps=2 * updates,  # SLM Lab ticks twice with separate nets
        episodes=len(venv.finished_returns), return_ma=(sum(last) / len(last)) if last else None,
        threads=torch.get_num_threads(), torch=torch.__version__, numpy=np.__version__)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--spec-file', required=True)
    p.add_argument('--spec-name', default='ppo_cartpole')
    p.add_argument('--frames', type=int, default=50000)
    p.add_argument('--seed', type=int, default=0)
    args = p.parse_args()
    if args.frames <= 0:
        sys.exit('ppo_cartpole_torch.py: --frames must be a positive integer')
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set in this process
    # Argument validation of torch.distributions is a debugging aid (gymlab's sampling has none);
    # off, as in a speed-minded PyTorch setup.
    torch.distributions.Distribution.set_default_validate_args(False)
    hp = load_ppo_spec(args.spec_file, args.spec_name)
    result = run(hp, args.frames, args.seed)
    print(json.dumps({**result, 'blas': blas_info()}))  # after the timed run: it times a matmul


if __name__ == '__main__':
    main()
