export const TENSORBOARD_LIB = '@gymlab/tensorboard';
