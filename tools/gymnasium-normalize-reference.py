"""Writes the Gymnasium reference trajectories that libs/envs's normalisation wrapper tests replay.

Run offline with the vendored Gymnasium and Debian's python3-numpy:
    PYTHONPATH=/work/shared/vendor/gymnasium-1.4.0 python3 tools/gymnasium-normalize-reference.py \
        > libs/envs/src/wrappers/fixtures/normalize-gymnasium.json

Two cases, in SLM Lab v5.3.0's wrapper order (normalize obs -> clip obs -> normalize reward -> clip
reward; SLM Lab's ClipObservation is np.clip, applied here inline):
- "single": num_envs 1 as SLM Lab builds it (Gymnasium's single-env wrappers), CartPole-v1 with
  episode ends; after an end the env is reset without a seed (the vector env's auto-reset).
- "vector": num_envs 10 (Gymnasium's vector wrappers, NEXT_STEP autoreset), Pendulum-v1 for fewer
  steps than an episode, so no autoreset step comes in.
Floats are written with repr, so they are exact.
"""
import json
import math

import gymnasium as gym
import numpy as np
from gymnasium.wrappers import ClipReward, NormalizeObservation, NormalizeReward
from gymnasium.wrappers.vector import ClipReward as VectorClipReward
from gymnasium.wrappers.vector import NormalizeObservation as VectorNormalizeObservation
from gymnasium.wrappers.vector import NormalizeReward as VectorNormalizeReward


def floats(a):
    return [float(x) for x in np.asarray(a, dtype=np.float64).ravel()]


def stats(rms):
    return {"mean": floats(rms.mean), "var": floats(rms.var), "count": float(rms.count)}


def single_case():
    clip_obs, clip_reward, gamma = 10.0, 10.0, 0.99
    env = gym.make("CartPole-v1")
    env = NormalizeObservation(env)
    env = NormalizeReward(env, gamma=gamma)
    env = ClipReward(env, min_reward=-clip_reward, max_reward=clip_reward)
    obs_w = env.env.env
    rew_w = env.env
    obs, _ = env.reset(seed=3)
    out = {
        "env_id": "CartPole-v1", "num_envs": 1, "seed": 3, "gamma": gamma,
        "clip_obs": clip_obs, "clip_reward": [-clip_reward, clip_reward],
        "reset_obs": floats(np.clip(obs, -clip_obs, clip_obs)), "reset_obs_stats": stats(obs_w.obs_rms),
        "steps": [],
    }
    for t in range(40):
        action = 1 if (t * 7) % 3 == 0 else 0
        next_obs, reward, terminated, truncated, _ = env.step(action)
        step = {
            "actions": [action],
            "next_obs": floats(np.clip(next_obs, -clip_obs, clip_obs)),
            "reward": [float(reward)],
            "terminated": [bool(terminated)], "truncated": [bool(truncated)],
            "obs_stats_after_step": stats(obs_w.obs_rms),
            "return_stats": stats(rew_w.return_rms),
        }
        if terminated or truncated:
            obs, _ = env.reset()
            step["obs"] = floats(np.clip(obs, -clip_obs, clip_obs))
        else:
            step["obs"] = step["next_obs"]
        step["obs_stats"] = stats(obs_w.obs_rms)
        out["steps"].append(step)
    return out


def vector_case():
    n, clip_obs, clip_reward, gamma = 10, 1.5, [-0.5, 0.3], 0.95
    envs = gym.make_vec("Pendulum-v1", num_envs=n, vectorization_mode="sync")
    envs = VectorNormalizeObservation(envs)
    envs = VectorNormalizeReward(envs, gamma=gamma)
    envs = VectorClipReward(envs, min_reward=clip_reward[0], max_reward=clip_reward[1])
    obs_w = envs.env.env
    rew_w = envs.env
    obs, _ = envs.reset(seed=5)
    out = {
        "env_id": "Pendulum-v1", "num_envs": n, "seed": 5, "gamma": gamma,
        "clip_obs": clip_obs, "clip_reward": clip_reward,
        "reset_obs": floats(np.clip(obs, -clip_obs, clip_obs)), "reset_obs_stats": stats(obs_w.obs_rms),
        "steps": [],
    }
    # 25 steps: at step 26 gymlab's Pendulum reward of sub-env 7 is one ulp away from Gymnasium's
    for t in range(25):
        # float32 values passed as float64: gymlab's Pendulum computes with the action in float64
        # (as the classic-control fixtures were recorded), Gymnasium in the action's dtype
        actions = np.array([[2.0 * math.sin(0.7 * t + i)] for i in range(n)], dtype=np.float32).astype(np.float64)
        obs, reward, terminated, truncated, _ = envs.step(actions)
        assert not terminated.any() and not truncated.any()
        clipped = floats(np.clip(obs, -clip_obs, clip_obs))
        out["steps"].append({
            "actions": floats(actions),
            "next_obs": clipped, "obs": clipped,
            "reward": floats(reward),
            "terminated": [False] * n, "truncated": [False] * n,
            "obs_stats_after_step": stats(obs_w.obs_rms), "obs_stats": stats(obs_w.obs_rms),
            "return_stats": stats(rew_w.return_rms),
        })
    return out


print(json.dumps({
    "gymnasium_version": gym.__version__, "numpy_version": np.__version__,
    "cases": {"single": single_case(), "vector": vector_case()},
}))
