/**
 * Walker2d-v5 (Gymnasium 1.4.0): walk forward on two legs. As Hopper-v5 (`PlanarWalker`) with
 * healthy z in (0.8, 2) and torso angle in (-1, 1), and no state range.
 */
import type { EnvKwargs } from '../registry.js';
import { KwargReader } from './kwargs.js';
import { PlanarWalker, PLANAR_WALKER_KWARGS } from './planar-walker.js';

export const WALKER2D_KWARGS = PLANAR_WALKER_KWARGS;

export class Walker2d extends PlanarWalker {
  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('Walker2d-v5', kwargs, WALKER2D_KWARGS);
    super(k, { xmlFile: 'walker2d_v5.xml', rewardThreshold: null, healthyZRange: [0.8, 2], healthyAngleRange: [-1, 1] });
  }
}
