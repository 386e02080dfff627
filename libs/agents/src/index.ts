export * from './types.js';
export { Mlp, type MlpConfig, type TensorData } from './net/mlp.js';
export { calculateGain, initLinear, orthogonal } from './net/init.js';
export { applyActivation, fusedActivation } from './net/activation.js';
export { makeOptimizer, OptimizerConfigError, type LossFn, type Optimizer } from './optim/optimizers.js';
export { clipByGlobalNorm, minimize, minimizeGroups, type GroupsStepResult, type ParamGroup, type StepResult } from './optim/minimize.js';
export { LrSchedule, LrScheduleError } from './optim/lr-schedule.js';
export { decayValue, DecaySchedule } from './schedule/decay.js';
