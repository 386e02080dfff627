export * from './core.js';
/** Compatibility re-export: the generator lives in `@gymlab/random`; import it from there. */
export { Rng } from '@gymlab/random';
export { Box, Discrete, FLOAT32_MAX, MultiBinary, MultiDiscrete, toFloat32 } from './spaces.js';
export {
  Acrobot,
  CartPole,
  ClassicControlEnv,
  DEFAULT_SEED,
  MountainCar,
  MountainCarContinuous,
  Pendulum,
  angleNormalize,
  isStatefulEnv,
  registerClassicControl,
  type StatefulEnv,
} from './classic-control/index.js';
export { BipedalWalker, type BipedalWalkerOptions, type BodyMass, type BodyPose } from './box2d/bipedal-walker.js';
export { BipedalWalkerHeuristic, bipedalHeuristicEpisode, type BipedalHeuristicEpisode } from './box2d/bipedal-walker-heuristic.js';
export { generateClouds, generateTerrain, type BipedalTerrain, type Cloud } from './box2d/bipedal-walker-terrain.js';
export { registerBipedalWalker } from './box2d/bipedal-walker-register.js';
export {
  Ant,
  HalfCheetah,
  Hopper,
  Humanoid,
  HumanoidStandup,
  InvertedDoublePendulum,
  InvertedPendulum,
  Pusher,
  Reacher,
  Swimmer,
  Walker2d,
  MujocoEnv,
  MujocoMemoryError,
  MujocoModelError,
  MujocoNotLoadedError,
  loadMujocoRuntime,
  registerMujoco,
  type MujocoEnvConfig,
} from './mujoco/index.js';
export { ObservationWrapper, Wrapper, unwrap } from './wrappers/wrapper.js';
export { TimeLimit } from './wrappers/time-limit.js';
export { EpisodeTracker, RecordEpisodeStatistics, type EpisodeInfo } from './wrappers/record-episode-statistics.js';
export { VectorWrapper } from './wrappers/vector-wrapper.js';
export { RunningMeanStd, batchMoments, type FloatDType, type RunningMeanStdState } from './wrappers/running-mean-std.js';
export { NORMALIZE_EPSILON, NormalizeObservation, ObservationNormalizer, VectorNormalizeObservation, type NormalizeObservationOptions } from './wrappers/normalize-observation.js';
export { VectorNormalizeReward, type NormalizeRewardOptions } from './wrappers/normalize-reward.js';
export { ClipObservation, VectorClipObservation, VectorClipReward } from './wrappers/clip.js';
export {
  NormalizedVectorEnv,
  normalizes,
  observationStatistics,
  wrapEvalEnv,
  type NormalizationOptions,
  type NormalizationState,
} from './wrappers/normalization.js';
export { SyncVectorEnv, type AutoresetMode, type SyncVectorEnvOptions } from './vector/sync-vector-env.js';
export { EnvSnapshotError, EnvSnapshotUnsupported, isRestartSnapshot, isSnapshotEnv, restartSnapshot, snapshotOf, type EnvSnapshot, type EnvSnapshotValue, type RestartedEnv, type SnapshotEnv } from './snapshot.js';
export {
  EnvRegistry,
  UnknownEnvError,
  EnvNotBuiltError,
  EnvKwargError,
  EXACT,
  EnvKwargValueError,
  unbuiltGymnasiumFamily,
  type EnvTolerance,
  type EnvKwargs,
  nearestId,
  type EnvFactory,
  type MakeEnvOptions,
  type RegisterOptions,
} from './registry.js';
export { ENV_BACKENDS, envInfo, envTolerance, makeEnv, makeVectorEnv, prepareAllEnvs, prepareEnv, registerEnv, registeredEnvIds, type EnvBackend, type EnvMakeOptions } from './make.js';
export { rollout, type RolloutOptions, type RolloutResult, type RolloutStep, type Transitions, type VectorPolicy } from './rollout.js';
export { ActionClipper, clipToBounds } from './action-bounds.js';
export {
  BRIDGE_SCRIPT,
  GymnasiumBridgeError,
  GymnasiumEnv,
  GymnasiumVectorEnv,
  SLM_LAB_ATARI,
  describeGymnasiumEnv,
  type BridgeFaultKind,
  type BridgedEnvFacts,
  type BridgedSpace,
  type GymnasiumOptions,
  type PixelOptions,
} from './gymnasium/bridge-env.js';
export { listGymnasiumEnvs, type GymnasiumListing } from './gymnasium/bridge-env.js';
export { FixtureError, checkFixture, formatFixtureCheck, type FixtureCheck } from './gymnasium/env-check.js';
export { formatEnvList, listEnvs, type EnvList, type EnvListing } from './gymnasium/env-list.js';
export { LUNAR_LANDER_KWARGS, lunarLanderOptions, registerLunarLander } from './box2d/lunar-lander-registration.js';
export {
  LunarLander,
  type LunarBodyState,
  type LunarLanderOptions,
  type LunarPhysicsState,
  type LunarTerrain,
} from './box2d/lunar-lander.js';
export { lunarLanderHeuristic, playHeuristicEpisode, type HeuristicEpisode } from './box2d/lunar-lander-heuristic.js';
export { EnvNotRenderableError, RENDERABLE_ENVS, checkRenderable, renderAcrobot, renderBipedalWalker, renderCartPole, renderLunarLander, renderMountainCar, renderFps, renderPendulum, renderSvg } from './render/index.js';
