#!/usr/bin/env bash
# DQN CartPole training speed: gymlab (one real Session of SLM Lab's dqn_boltzmann_cartpole spec) against the
# same algorithm in PyTorch (tools/bench/dqn_cartpole_torch.py), one thread each, side by side;
# --help for the options. The work is done by tools/bench/side-by-side.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/bench/side-by-side.sh" dqn "$@"
