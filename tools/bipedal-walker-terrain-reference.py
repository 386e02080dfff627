#!/usr/bin/env python3
"""Records Gymnasium 1.4.0's BipedalWalker terrain (normal and hardcore) for a few seeds, with a
stand-in for Box2D (terrain generation only needs shapes to hold vertices and a world to create
static bodies). Writes libs/envs/src/box2d/fixtures/bipedal-walker-terrain.json, which
bipedal-walker.test.ts compares with gymlab's terrain exactly.

Usage: PYTHONPATH=../shared/vendor/gymnasium-1.4.0 python3 tools/bipedal-walker-terrain-reference.py
(needs Debian's python3-numpy, python3-cloudpickle, python3-typing-extensions)."""
import json
import sys
import types
from pathlib import Path


class _Shape:
    def __init__(self, vertices=None, box=None, **_):
        self.vertices = vertices


class _FixtureDef:
    def __init__(self, shape=None, **_):
        self.shape = shape


class _World:
    def __init__(self, *_, **__):
        self.obstacles = []

    def CreateStaticBody(self, fixtures):
        if isinstance(fixtures.shape, _PolygonShape):
            self.obstacles.append([float(c) for p in fixtures.shape.vertices for c in p])
        return types.SimpleNamespace()


class _PolygonShape(_Shape):
    pass


b2 = types.ModuleType("Box2D.b2")
b2.circleShape = _Shape
b2.edgeShape = _Shape
b2.polygonShape = _PolygonShape
b2.fixtureDef = _FixtureDef
b2.revoluteJointDef = dict
b2.contactListener = object
b2.rayCastCallback = object
box2d = types.ModuleType("Box2D")
box2d.b2 = b2
box2d.b2World = _World
box2d.b2Body = object
box2d.b2RevoluteJoint = object
sys.modules["Box2D"] = box2d
sys.modules["Box2D.b2"] = b2

import importlib.util  # noqa: E402

import gymnasium  # noqa: E402
from gymnasium.utils import seeding  # noqa: E402

# The module alone (the box2d package's __init__ also imports car_racing, which needs pygame).
_path = Path(gymnasium.__file__).parent / "envs/box2d/bipedal_walker.py"
_spec = importlib.util.spec_from_file_location("bipedal_walker", _path)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
BipedalWalker = _module.BipedalWalker

cases = []
for hardcore in (False, True):
    for seed in (0, 1, 2, 3, 4):
        env = BipedalWalker(hardcore=hardcore)
        env.np_random, _ = seeding.np_random(seed)
        env._generate_terrain(hardcore)
        env._generate_clouds()
        force = float(env.np_random.uniform(-5, 5))
        cases.append(
            {
                "seed": seed,
                "hardcore": hardcore,
                "terrain_x": [float(v) for v in env.terrain_x],
                "terrain_y": [float(v) for v in env.terrain_y],
                "obstacles": env.world.obstacles,
                "clouds": [[float(c) for p in poly for c in p] for poly, _, _ in env.cloud_poly],
                "initial_force": force,
            }
        )

out = Path(__file__).resolve().parent.parent / "libs/envs/src/box2d/fixtures/bipedal-walker-terrain.json"
out.write_text(json.dumps({"gymnasium": "1.4.0", "cases": cases}) + "\n")
print(f"wrote {out} ({len(cases)} cases)")
