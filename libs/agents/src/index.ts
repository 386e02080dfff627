export * from './types.js';
export { Mlp, type MlpConfig, type MlpNorm } from './net/mlp.js';
export { buildFastMlp } from './net/fast-mlp.js';
export type { NetModule, TensorData } from './net/types.js';
export { buildNet, builtNetTypes, checkNetSpec, type BuildNetOptions, type NetEntry, type NetRole, type OutputLayer } from './net/factory.js';
export { planArc, SUPPORTED_ARC_MODULES, type ArcCall, type ArcLayer, type ArcModulePlan, type ArcPlan } from './net/arc-spec.js';
export { ArcBody, type ArcBodyConfig } from './net/arc.js';
export { DuelingMlp, duelingQ, type DuelingMlpConfig } from './net/dueling.js';
export { HeadedNet } from './net/headed.js';
export { conv2dOp, convOutputSize, type Conv2dFn, type Conv2dGeometry, type Conv2dOpOptions } from './net/conv2d-op.js';
export { buildConvNet, checkConvNet, ConvNet, initConvKernel, type ConvLayerSpec, type ConvNetSpec } from './net/conv.js';
export { buildDuelingConvNet, checkDuelingConvNet, DuelingConvNet } from './net/conv-dueling.js';
export { BatchNorm2d } from './net/conv-batch-norm.js';
export { buildRecurrentNet, cellStep, checkRecurrentNet, RecurrentNet, type CellType, type RecurrentNetSpec } from './net/recurrent.js';
export { ObsSequences } from './net/recurrent-seq.js';
export { calculateGain, initLinear, orthogonal, type LayerInit } from './net/init.js';
export { applyActivation, fusedActivation } from './net/activation.js';
export { makeOptimizer, OptimizerConfigError, type LossFn, type Optimizer } from './optim/optimizers.js';
export { appliedGradNorm, clipByGlobalNorm, minimize, minimizeGroups, type GroupsStepResult, type ParamGroup, type StepResult } from './optim/minimize.js';
export { LrSchedule, LrScheduleError } from './optim/lr-schedule.js';
export { decayValue, DecaySchedule } from './schedule/decay.js';
export { OnPolicyMemory, type OnPolicyBatch, type OnPolicyMemoryConfig, type OnPolicyStep } from './memory/on-policy.js';
export * from './returns/index.js';
export {
  categoricalEntropy,
  categoricalLogProb,
  clipToBox,
  gaussianEntropy,
  gaussianLogProb,
  oneHot,
  sampleCategorical,
  sampleGaussian,
} from './policy/distributions.js';
export {
  Categorical,
  checkActionPdtype,
  DiagGaussian,
  makeActionDist,
  SquashedGaussian,
  type ActionDist,
  type ActionDistName,
  type ActionDistOptions,
  type ContinuousActionDist,
  type GaussianConfig,
} from './policy/action-dist.js';
export { elementwiseLoss, ppoLoss, type PpoLoss, type PpoLossInput } from './losses/ppo.js';
export { CategoricalPolicyGrad, ppoCategoricalLossGrad, type CategoricalOutputs, type PpoCategoricalInput } from './losses/ppo-categorical-grad.js';
export { GaussianPolicyGrad, ppoGaussianLossGrad, type GaussianOutputs, type PpoGaussianInput } from './losses/ppo-gaussian-grad.js';
export { a2cLossGrad, type A2cGradInput, type A2cLossValues } from './losses/a2c-grad.js';
export { elementwiseLossGrad, ppoLossGrad, type PpoGradInput, type PpoLossValues, type PpoPolicyGrad } from './losses/ppo-grad.js';
export { ActorCriticNets, resolveOptimSpecs, type ActorCriticConfig } from './algorithms/on-policy-nets.js';
export { advantageNormalization, PercentileNormalizer, quantile, ReturnNormalizer, RunningMeanStd, standardize, type AdvantageNormalization } from './algorithms/on-policy-stats.js';
export { gatherRows, MinibatchIterator, type MinibatchFn } from './memory/minibatch.js';
export { checkPpoSpec, PpoAgent, ppoMinibatchSize } from './algorithms/ppo.js';
export { autoresetFor, checkAgentSpec, createAgent, fastPathFit, implementedAlgorithms, type AlgorithmEntry, type FastFit } from './registry.js';
export { checkDqnSpec, DQN_ALGORITHMS, DqnAgent, isDqnAlgorithm, type DqnAlgorithm } from './algorithms/dqn.js';
export { paramsChanged, type DqnCompute, type DqnComputeFactory, type DqnComputeOptions, type DqnStepResult, type DqnVariant } from './algorithms/dqn-compute.js';
export { TfjsDqnCompute } from './algorithms/dqn-tfjs.js';
export { checkFastDqnSpec, FastDqnCompute } from './algorithms/dqn-fast.js';
export { LOSS_TERMS, type A2cLossConfig, type OnPolicyCompute, type OnPolicyComputeFactory, type OnPolicyComputeOptions, type OnPolicyLossConfig, type OnPolicyMinibatch, type OnPolicyStepResult, type PpoLossConfig } from './algorithms/on-policy-compute.js';
export { TfjsOnPolicyCompute } from './algorithms/on-policy-tfjs.js';
export { checkFastActorCriticSpec, checkFastOnPolicySpec, checkFastPpoSpec, FastOnPolicyCompute } from './algorithms/on-policy-fast.js';
export { continuousActions, DISCRETE_ACTIONS, Replay, type ActionLayout, type ReplayBatch, type ReplayConfig, type ReplayCounters } from './memory/replay.js';
export { PrioritizedReplay, priorityOf, type PrioritizedReplayConfig } from './memory/prioritized.js';
export { SumTree } from './memory/sum-tree.js';
export { argmaxRow, boltzmannProbs, selectActions, type ExplorationPolicy } from './policy/exploration.js';
export { tdLossGrad, type TdLossGradInputs } from './losses/td-grad.js';
export { huberLoss, l1Loss, makeTdLoss, mseLoss, qTargets, selectQ, smoothL1Loss, type QTargetInputs, type RegressionLoss } from './losses/td.js';
export { checkRandomSpec, RandomAgent } from './algorithms/random.js';
export { checkSarsaSpec, SarsaAgent } from './algorithms/sarsa.js';
export { checkSingleNetSpec, makeNet, SingleNet } from './algorithms/single-net.js';
export { sarsaLoss, sarsaTargets, type SarsaTargetInputs } from './losses/sarsa.js';
export { checkReinforceSpec, ReinforceAgent } from './algorithms/reinforce.js';
export { reinforceAdvantages, reinforceLoss, type ReinforceLoss, type ReinforceLossInput } from './losses/reinforce.js';
export { ActorCriticAgent, actorCriticEntry, advantageEstimator, advantagesAndTargets, checkActorCriticSpec, type AdvantageEstimator } from './algorithms/actor-critic.js';
export { a2cLoss, silLoss, stopGradient, type A2cLoss, type A2cLossInput, type SilLoss, type SilLossInput } from './losses/actor-critic.js';
export { checkSilKeys, PpoSilAgent, SelfImitation, SilAgent, type SilResult, type SilValueScale } from './algorithms/sil.js';
export { SilReplay, type SilBatch, type SilReplayConfig } from './memory/sil-replay.js';
export { OffPolicySchedule, type OffPolicyScheduleConfig } from './schedule/off-policy.js';
export { targetUpdateOf, updateTargetNet, type TargetUpdateConfig } from './net/target.js';
export { ActionRescaler } from './policy/rescale.js';
export { autoTargetEntropy, sacContinuousAlphaLoss, sacContinuousPolicyLoss, sacContinuousTarget, sacDiscreteAlphaLoss, sacDiscretePolicyLoss, sacDiscreteTarget, type ContinuousTargetInputs, type DiscreteTargetInputs } from './losses/sac.js';
export { SacAgent } from './algorithms/sac.js';
export { TfjsCrossQCompute, checkCrossQSpec } from './algorithms/crossq.js';
export { checkSacSpec, criticNetOf, sacConfigOf, sacSpecProblem, type SacConfig, type SacFamily } from './algorithms/sac-config.js';
export { batchRenorm1d, type BatchRenormParams } from './net/batch-renorm.js';
export { FastBatchRenorm, type BrnActivation } from './net/fast-batch-renorm.js';
export { checkFastNormNet, FastNormNet, FastNormNetAdam, type FastNormNetConfig } from './net/fast-norm-net.js';
export { checkFastCrossQSpec, FastCrossQCompute } from './algorithms/crossq-fast.js';
export { actFromPolicy, checkUpdate, MAX_SANE_GRAD_NORM } from './algorithms/on-policy-common.js';
export {
  allocateSharedParams,
  distributedModeOf,
  GlobalOptimizer,
  isDeterministicMode,
  PlanRecorder,
  stopSharedParams,
  WorkerSharing,
  type DistributedMode,
  type ParamSharing,
  type RegionPlan,
  type SharedParams,
} from './distributed/param-sharing.js';
export { DISTRIBUTED_ALGORITHMS } from './built.js';
