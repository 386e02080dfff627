/** gymlab-tune: the command line of hyperparameter search; the search itself is `@gymlab/lab`'s Experiment level. */
export { EXIT, UsageError, main, type Io } from './main.js';
