export { EXIT, main, type Io } from './main.js';
export { DEMO_SPEC_NAME, RUN_MODES, UsageError, demoSpecFile, planRun, type RunPlan } from './plan.js';
export { analyzeSummary, analyzeWarnings, plotSummary } from './analyze-commands.js';
export { formatMetrics, formatStatistics } from './format.js';
