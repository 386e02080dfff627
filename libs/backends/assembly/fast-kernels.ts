// AssemblyScript source of the fast CPU path's kernels (compiled to WebAssembly with SIMD by
// scripts/build-wasm.mjs during the build; never committed as a binary).
//
// Every buffer is f32 in the linear memory the host passes in, addressed by byte offset. Matrices
// are row-major. Nothing here allocates: the host lays out parameters, gradients, optimizer slots
// and activations once, and each call works in place on them.

// Activation codes (the host's FAST_ACTIVATIONS order).
const LINEAR: i32 = 0;
const RELU: i32 = 1;
const TANH: i32 = 2;
const SELU: i32 = 3;

// SELU's constants (torch.nn.SELU, Klambauer et al. 2017): scale * (x > 0 ? x : alpha (e^x - 1)).
const SELU_SCALE: f32 = 1.0507009873554804934193349852946;
const SELU_SCALE_ALPHA: f32 = 1.7580993408473768599402175208123; // scale * alpha

// tanh as a rational function x P(x^2) / Q(x^2) on [-c, c] (the approximation Eigen uses for f32,
// a few ulp from the exact value); |x| < 4e-4 returns x.
const TANH_CLAMP: f32 = 7.90531110763549805;
const A1: f32 = 4.89352455891786e-3;
const A3: f32 = 6.37261928875436e-4;
const A5: f32 = 1.48572235717979e-5;
const A7: f32 = 5.12229709037114e-8;
const A9: f32 = -8.60467152213735e-11;
const A11: f32 = 2.00018790482477e-13;
const A13: f32 = -2.76076847742355e-16;
const B0: f32 = 4.89352518554385e-3;
const B2: f32 = 2.268434632439e-3;
const B4: f32 = 1.18534705686654e-4;
const B6: f32 = 1.19825839466702e-6;
const TANH_TINY: f32 = 4e-4;

@inline function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function tanhv(x0: v128): v128 {
  const c = f32x4.splat(TANH_CLAMP);
  const x = f32x4.min(f32x4.max(x0, f32x4.neg(c)), c);
  const x2 = f32x4.mul(x, x);
  let p = madd(x2, f32x4.splat(A13), f32x4.splat(A11));
  p = madd(x2, p, f32x4.splat(A9));
  p = madd(x2, p, f32x4.splat(A7));
  p = madd(x2, p, f32x4.splat(A5));
  p = madd(x2, p, f32x4.splat(A3));
  p = madd(x2, p, f32x4.splat(A1));
  p = f32x4.mul(x, p);
  let q = madd(x2, f32x4.splat(B6), f32x4.splat(B4));
  q = madd(x2, q, f32x4.splat(B2));
  q = madd(x2, q, f32x4.splat(B0));
  const r = f32x4.div(p, q);
  const tiny = f32x4.lt(f32x4.abs(x0), f32x4.splat(TANH_TINY));
  return v128.bitselect(x0, r, tiny);
}

// e^x - 1 for x <= 0 (clamped to [-87, 0]): x = n ln2 + r with |r| <= ln2 / 2, e^r - 1 = r + r^2 P(r)
// by the Cephes polynomial for f32 (about 1 ulp), then 2^n (e^r - 1) + (2^n - 1) with 2^n from the
// exponent bits: for n = 0 (|x| < 0.35) no 1 is added and subtracted, so small x keep their digits.
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

@inline function expm1Negv(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, f32x4.splat(-87)), f32x4.splat(0));
  const n = f32x4.floor(madd(x, f32x4.splat(LOG2E), f32x4.splat(0.5)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  // P(r) = 0.5 + r (1/6 + r (1/24 + r (1/120 + r (1/720 + r / 5040)))), Cephes' fitted coefficients
  const p = madd(r, madd(r, madd(r, madd(r, madd(r, f32x4.splat(<f32>1.9875691500e-4), f32x4.splat(<f32>1.3981999507e-3)), f32x4.splat(<f32>8.3334519073e-3)), f32x4.splat(<f32>4.1665795894e-2)), f32x4.splat(<f32>1.6666665459e-1)), f32x4.splat(<f32>5.0000001201e-1));
  const em1 = madd(f32x4.mul(r, r), p, r);
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return madd(pow2, em1, f32x4.sub(pow2, f32x4.splat(1)));
}

@inline function seluv(x: v128): v128 {
  const pos = f32x4.mul(x, f32x4.splat(SELU_SCALE));
  const neg = f32x4.mul(expm1Negv(x), f32x4.splat(SELU_SCALE_ALPHA));
  return v128.bitselect(pos, neg, f32x4.gt(x, f32x4.splat(0)));
}

@inline function actv(v: v128, act: i32): v128 {
  if (act == RELU) return f32x4.max(v, f32x4.splat(0));
  if (act == TANH) return tanhv(v);
  if (act == SELU) return seluv(v);
  return v;
}

@inline function act1(x: f32, act: i32): f32 {
  return f32x4.extract_lane(actv(f32x4.splat(x), act), 0);
}

/** The activation applied in place to `n` values (what the forward kernel folds in). */
export function activate(p: usize, n: i32, act: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(p + (<usize>i << 2), actv(v128.load(p + (<usize>i << 2)), act));
  for (; i < n; i++) store<f32>(p + (<usize>i << 2), act1(load<f32>(p + (<usize>i << 2)), act));
}

// ---------------------------------------------------------------------------------------------
// C[M,N] = act(op(A) B + bias (+ C when acc)). A(m,k) is at a + m*sm + k*sk (byte strides), so the
// same kernel computes A B (sm = 4K, sk = 4) and A^T B (A stored [K,M]: sm = 4, sk = 4M).
// B is [K,N] row-major, C [M,N] row-major; bias [N] or 0 for none.

@inline function init4(c: usize, bias: usize, acc: i32): v128 {
  let v = f32x4.splat(0);
  if (bias != 0) v = v128.load(bias);
  if (acc != 0) v = f32x4.add(v, v128.load(c));
  return v;
}

@inline function init1(c: usize, bias: usize, acc: i32): f32 {
  let v: f32 = 0;
  if (bias != 0) v = load<f32>(bias);
  if (acc != 0) v += load<f32>(c);
  return v;
}

@inline function off(bias: usize, bytes: usize): usize {
  return bias == 0 ? 0 : bias + bytes;
}

/** 4 rows x 8 columns of C: 8 accumulators, each step 2 loads of B and 4 broadcasts of A. */
function tile4x8(pa: usize, sm: usize, sk: usize, pb: usize, ldb: usize, K: i32, pc: usize, ldc: usize, bias: usize, act: i32, acc: i32): void {
  let c00 = init4(pc, bias, acc);
  let c01 = init4(pc + 16, off(bias, 16), acc);
  let c10 = init4(pc + ldc, bias, acc);
  let c11 = init4(pc + ldc + 16, off(bias, 16), acc);
  let c20 = init4(pc + 2 * ldc, bias, acc);
  let c21 = init4(pc + 2 * ldc + 16, off(bias, 16), acc);
  let c30 = init4(pc + 3 * ldc, bias, acc);
  let c31 = init4(pc + 3 * ldc + 16, off(bias, 16), acc);
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a0: v128, a1: v128, a2: v128, a3: v128;
    if (sm == 4) {
      // A^T B: the 4 rows' values at step k are contiguous; one load, four lane broadcasts.
      const av = v128.load(pa);
      a0 = f32x4.splat(f32x4.extract_lane(av, 0));
      a1 = f32x4.splat(f32x4.extract_lane(av, 1));
      a2 = f32x4.splat(f32x4.extract_lane(av, 2));
      a3 = f32x4.splat(f32x4.extract_lane(av, 3));
    } else {
      a0 = f32x4.splat(load<f32>(pa));
      a1 = f32x4.splat(load<f32>(pa + sm));
      a2 = f32x4.splat(load<f32>(pa + 2 * sm));
      a3 = f32x4.splat(load<f32>(pa + 3 * sm));
    }
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    pa += sk;
    pb += ldb;
  }
  v128.store(pc, actv(c00, act));
  v128.store(pc + 16, actv(c01, act));
  v128.store(pc + ldc, actv(c10, act));
  v128.store(pc + ldc + 16, actv(c11, act));
  v128.store(pc + 2 * ldc, actv(c20, act));
  v128.store(pc + 2 * ldc + 16, actv(c21, act));
  v128.store(pc + 3 * ldc, actv(c30, act));
  v128.store(pc + 3 * ldc + 16, actv(c31, act));
}

/** 4 rows x 4 columns of C. */
function tile4x4(pa: usize, sm: usize, sk: usize, pb: usize, ldb: usize, K: i32, pc: usize, ldc: usize, bias: usize, act: i32, acc: i32): void {
  let c0 = init4(pc, bias, acc);
  let c1 = init4(pc + ldc, bias, acc);
  let c2 = init4(pc + 2 * ldc, bias, acc);
  let c3 = init4(pc + 3 * ldc, bias, acc);
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    c0 = madd(f32x4.splat(load<f32>(pa)), b0, c0);
    c1 = madd(f32x4.splat(load<f32>(pa + sm)), b0, c1);
    c2 = madd(f32x4.splat(load<f32>(pa + 2 * sm)), b0, c2);
    c3 = madd(f32x4.splat(load<f32>(pa + 3 * sm)), b0, c3);
    pa += sk;
    pb += ldb;
  }
  v128.store(pc, actv(c0, act));
  v128.store(pc + ldc, actv(c1, act));
  v128.store(pc + 2 * ldc, actv(c2, act));
  v128.store(pc + 3 * ldc, actv(c3, act));
}

/** 1 row x 8 columns of C. */
function tile1x8(pa: usize, sk: usize, pb: usize, ldb: usize, K: i32, pc: usize, bias: usize, act: i32, acc: i32): void {
  let c0 = init4(pc, bias, acc);
  let c1 = init4(pc + 16, off(bias, 16), acc);
  for (let k = 0; k < K; k++) {
    const a = f32x4.splat(load<f32>(pa));
    c0 = madd(a, v128.load(pb), c0);
    c1 = madd(a, v128.load(pb, 16), c1);
    pa += sk;
    pb += ldb;
  }
  v128.store(pc, actv(c0, act));
  v128.store(pc + 16, actv(c1, act));
}

/** 1 row x 4 columns of C. */
function tile1x4(pa: usize, sk: usize, pb: usize, ldb: usize, K: i32, pc: usize, bias: usize, act: i32, acc: i32): void {
  let c0 = init4(pc, bias, acc);
  for (let k = 0; k < K; k++) {
    c0 = madd(f32x4.splat(load<f32>(pa)), v128.load(pb), c0);
    pa += sk;
    pb += ldb;
  }
  v128.store(pc, actv(c0, act));
}

/** One element of C. */
function tile1x1(pa: usize, sk: usize, pb: usize, ldb: usize, K: i32, pc: usize, bias: usize, act: i32, acc: i32): void {
  let s = init1(pc, bias, acc);
  for (let k = 0; k < K; k++) {
    s += load<f32>(pa) * load<f32>(pb);
    pa += sk;
    pb += ldb;
  }
  store<f32>(pc, act1(s, act));
}

/**
 * C[M,N] = act(op(A) B + bias (+ C when acc != 0)); A(m,k) at a + m*sm + k*sk bytes. Row blocks of
 * 4 and column blocks of 8 (then 4, then 1) in registers; rows past the last block of 4 one by one.
 */
export function gemm(a: usize, sm: usize, sk: usize, b: usize, c: usize, M: i32, K: i32, N: i32, bias: usize, act: i32, acc: i32): void {
  const ldb = <usize>N << 2;
  const ldc = ldb;
  let m = 0;
  for (; m + 4 <= M; m += 4) {
    const pa = a + <usize>m * sm;
    const pc = c + <usize>m * ldc;
    let n = 0;
    for (; n + 8 <= N; n += 8) tile4x8(pa, sm, sk, b + (<usize>n << 2), ldb, K, pc + (<usize>n << 2), ldc, off(bias, <usize>n << 2), act, acc);
    for (; n + 4 <= N; n += 4) tile4x4(pa, sm, sk, b + (<usize>n << 2), ldb, K, pc + (<usize>n << 2), ldc, off(bias, <usize>n << 2), act, acc);
    for (; n < N; n++) {
      for (let r = 0; r < 4; r++) {
        tile1x1(pa + <usize>r * sm, sk, b + (<usize>n << 2), ldb, K, pc + <usize>r * ldc + (<usize>n << 2), off(bias, <usize>n << 2), act, acc);
      }
    }
  }
  for (; m < M; m++) {
    const pa = a + <usize>m * sm;
    const pc = c + <usize>m * ldc;
    let n = 0;
    for (; n + 8 <= N; n += 8) tile1x8(pa, sk, b + (<usize>n << 2), ldb, K, pc + (<usize>n << 2), off(bias, <usize>n << 2), act, acc);
    for (; n + 4 <= N; n += 4) tile1x4(pa, sk, b + (<usize>n << 2), ldb, K, pc + (<usize>n << 2), off(bias, <usize>n << 2), act, acc);
    for (; n < N; n++) tile1x1(pa, sk, b + (<usize>n << 2), ldb, K, pc + (<usize>n << 2), off(bias, <usize>n << 2), act, acc);
  }
}

/** dst[C,R] = src[R,C]^T. */
export function transpose(src: usize, dst: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) store<f32>(dst + ((<usize>c * R + r) << 2), load<f32>(src + ((<usize>r * C + c) << 2)));
  }
}

/**
 * g <- g * act'(z) in place, from the activation's output y = act(z): 1, [y > 0], 1 - y^2, and for
 * SELU scale where y > 0, else y + scale alpha (= scale alpha e^z).
 */
export function activationBackward(g: usize, y: usize, n: i32, act: i32): void {
  if (act == LINEAR) return;
  let i = 0;
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const sc = f32x4.splat(SELU_SCALE);
  const sa = f32x4.splat(SELU_SCALE_ALPHA);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const yv = v128.load(y + o);
    const gv = v128.load(g + o);
    let d: v128;
    if (act == RELU) d = v128.and(gv, f32x4.gt(yv, zero));
    else if (act == TANH) d = f32x4.mul(gv, f32x4.sub(one, f32x4.mul(yv, yv)));
    else d = f32x4.mul(gv, v128.bitselect(sc, f32x4.add(yv, sa), f32x4.gt(yv, zero)));
    v128.store(g + o, d);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const yv = load<f32>(y + o);
    const gv = load<f32>(g + o);
    let d: f32;
    if (act == RELU) d = yv > 0 ? gv : 0;
    else if (act == TANH) d = gv * (1 - yv * yv);
    else d = gv * (yv > 0 ? SELU_SCALE : yv + SELU_SCALE_ALPHA);
    store<f32>(g + o, d);
  }
}

/** out[N] = sum over the M rows of x[M,N] (+ out when acc != 0). */
export function columnSum(x: usize, out: usize, M: i32, N: i32, acc: i32): void {
  let n = 0;
  const ld = <usize>N << 2;
  for (; n + 4 <= N; n += 4) {
    let s = acc != 0 ? v128.load(out + (<usize>n << 2)) : f32x4.splat(0);
    let p = x + (<usize>n << 2);
    for (let m = 0; m < M; m++) {
      s = f32x4.add(s, v128.load(p));
      p += ld;
    }
    v128.store(out + (<usize>n << 2), s);
  }
  for (; n < N; n++) {
    let s: f32 = acc != 0 ? load<f32>(out + (<usize>n << 2)) : 0;
    let p = x + (<usize>n << 2);
    for (let m = 0; m < M; m++) {
      s += load<f32>(p);
      p += ld;
    }
    store<f32>(out + (<usize>n << 2), s);
  }
}

// ---------------------------------------------------------------------------------------------
// A whole MLP in one call. The host writes a table of LAYER_FIELDS i32 per layer (byte offsets
// and sizes); x of layer l+1 is y of layer l, and gx of layer l+1 is gy of layer l.
const F_IN = 0;
const F_OUT = 1;
const F_ACT = 2;
const F_W = 3; // [in, out]
const F_B = 4; // [out]
const F_DW = 5;
const F_DB = 6;
const F_X = 7; // [batch, in]
const F_Y = 8; // [batch, out]
const F_GX = 9; // dL/dx [batch, in]
const F_GY = 10; // dL/dy [batch, out]; overwritten with dL/dz by the backward pass
const F_WT = 11; // scratch [out, in]
export const LAYER_FIELDS: i32 = 12;

@inline function field(table: usize, l: i32, f: i32): i32 {
  return load<i32>(table + ((<usize>(l * LAYER_FIELDS + f)) << 2));
}

/** y_l = act_l(x_l W_l + b_l) for every layer, batch rows. */
export function mlpForward(table: usize, layers: i32, batch: i32): void {
  for (let l = 0; l < layers; l++) {
    const nin = field(table, l, F_IN);
    gemm(<usize>field(table, l, F_X), <usize>nin << 2, 4, <usize>field(table, l, F_W), <usize>field(table, l, F_Y), batch, nin, field(table, l, F_OUT), <usize>field(table, l, F_B), field(table, l, F_ACT), 0);
  }
}

/**
 * From dL/dy of the last layer (in its GY buffer), the gradients of every W and b (overwritten;
 * when weights == 0 they are not computed and keep what they held), and dL/dx of the input when
 * inputGrad != 0. Reads the activations of the last mlpForward.
 */
export function mlpBackward(table: usize, layers: i32, batch: i32, inputGrad: i32, weights: i32): void {
  for (let l = layers - 1; l >= 0; l--) {
    const nin = field(table, l, F_IN);
    const nout = field(table, l, F_OUT);
    const gy = <usize>field(table, l, F_GY);
    const x = <usize>field(table, l, F_X);
    activationBackward(gy, <usize>field(table, l, F_Y), batch * nout, field(table, l, F_ACT));
    if (weights != 0) {
      // dW[in,out] = x^T dz: A(m,k) = x[k, m]
      gemm(x, 4, <usize>nin << 2, gy, <usize>field(table, l, F_DW), nin, batch, nout, 0, LINEAR, 0);
      columnSum(gy, <usize>field(table, l, F_DB), batch, nout, 0);
    }
    if (l > 0 || inputGrad != 0) {
      const wt = <usize>field(table, l, F_WT);
      transpose(<usize>field(table, l, F_W), wt, nin, nout);
      gemm(gy, <usize>nout << 2, 4, wt, <usize>field(table, l, F_GX), batch, nout, nin, 0, LINEAR, 0);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Optimizer and clipping on flat buffers.

/** Sum of squares of n values (f32 lanes, summed in f64 at the end). */
export function sumSquares(p: usize, n: i32): f64 {
  let s = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    s = madd(v, v, s);
  }
  let t: f64 = <f64>f32x4.extract_lane(s, 0) + <f64>f32x4.extract_lane(s, 1) + <f64>f32x4.extract_lane(s, 2) + <f64>f32x4.extract_lane(s, 3);
  for (; i < n; i++) {
    const v = <f64>load<f32>(p + (<usize>i << 2));
    t += v * v;
  }
  return t;
}

/** p <- p * s. */
export function scale(p: usize, n: i32, s: f32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(p + (<usize>i << 2), f32x4.mul(v128.load(p + (<usize>i << 2)), sv));
  for (; i < n; i++) store<f32>(p + (<usize>i << 2), load<f32>(p + (<usize>i << 2)) * s);
}

/**
 * One Adam step with torch.optim.Adam's arithmetic: g' = g + wd p (coupled) or p <- p (1 - lr wd)
 * (decoupled, AdamW); m <- lerp(m, g', 1 - b1); v <- b2 v + (1 - b2) g'^2;
 * p <- p - stepSize m / (sqrt(v) / sqrtBc2 + eps), stepSize = lr / (1 - b1^t), sqrtBc2 = sqrt(1 - b2^t).
 */
export function adam(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, b1: f32, b2: f32, eps: f32, stepSize: f32, sqrtBc2: f32, wd: f32, decoupled: i32): void {
  const w1 = f32x4.splat(1 - b1);
  const b2v = f32x4.splat(b2);
  const w2 = f32x4.splat(1 - b2);
  const epsv = f32x4.splat(eps);
  const ss = f32x4.splat(stepSize);
  const sb = f32x4.splat(sqrtBc2);
  const wdv = f32x4.splat(wd);
  const decay = f32x4.splat(1 - lr * wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let pv = v128.load(p + o);
    let gv = v128.load(g + o);
    if (wd != 0) {
      if (decoupled != 0) pv = f32x4.mul(pv, decay);
      else gv = madd(pv, wdv, gv);
    }
    const mv0 = v128.load(m + o);
    const mv = madd(w1, f32x4.sub(gv, mv0), mv0);
    const vv = madd(f32x4.mul(gv, gv), w2, f32x4.mul(v128.load(v + o), b2v));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), sb), epsv);
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(ss, f32x4.div(mv, denom))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let pv = load<f32>(p + o);
    let gv = load<f32>(g + o);
    if (wd != 0) {
      if (decoupled != 0) pv *= 1 - lr * wd;
      else gv += wd * pv;
    }
    const mv0 = load<f32>(m + o);
    const mv = mv0 + (1 - b1) * (gv - mv0);
    const vv = b2 * load<f32>(v + o) + (1 - b2) * gv * gv;
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    store<f32>(p + o, pv - stepSize * (mv / (Mathf.sqrt(vv) / sqrtBc2 + eps)));
  }
}

// ---- Batch (re)normalisation over the rows of x [M, N] (per column j; the host computes the
// per-column scalars from the sums below).

/** f64 out[j] = sum_m x[m, j] (f64 sums: a batch's statistics and gradient sums cancel). */
export function columnSum64(x: usize, out: usize, M: i32, N: i32): void {
  memory.fill(out, 0, <usize>N << 3);
  for (let m = 0; m < M; m++) {
    const row = x + ((<usize>m * <usize>N) << 2);
    for (let n = 0; n < N; n++) {
      const o = out + (<usize>n << 3);
      store<f64>(o, load<f64>(o) + <f64>load<f32>(row + (<usize>n << 2)));
    }
  }
}

/** f64 out[j] = sum_m (a[m, j] - mu[j]) (b[m, j] - mu[j]), mu f64 (0 where a pointer is 0: plain products). */
export function columnDot64(a: usize, b: usize, mu: usize, out: usize, M: i32, N: i32): void {
  memory.fill(out, 0, <usize>N << 3);
  for (let m = 0; m < M; m++) {
    const off = (<usize>m * <usize>N) << 2;
    for (let n = 0; n < N; n++) {
      const c: f64 = mu != 0 ? load<f64>(mu + (<usize>n << 3)) : 0;
      const o = out + (<usize>n << 3);
      const i = off + (<usize>n << 2);
      store<f64>(o, load<f64>(o) + (<f64>load<f32>(a + i) - c) * (<f64>load<f32>(b + i) - c));
    }
  }
}

/** z = (x - mu) inv and y = act(scale z + shift), per column vectors mu, inv, scale, shift [N]. */
export function normalizeAffine(x: usize, mu: usize, inv: usize, scale: usize, shift: usize, z: usize, y: usize, M: i32, N: i32, act: i32): void {
  const ld = <usize>N << 2;
  for (let m = 0; m < M; m++) {
    const row = <usize>m * ld;
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const o = <usize>n << 2;
      const zv = f32x4.mul(f32x4.sub(v128.load(x + row + o), v128.load(mu + o)), v128.load(inv + o));
      v128.store(z + row + o, zv);
      v128.store(y + row + o, madd(v128.load(scale + o), zv, v128.load(shift + o)));
    }
    for (; n < N; n++) {
      const o = <usize>n << 2;
      const zv = (load<f32>(x + row + o) - load<f32>(mu + o)) * load<f32>(inv + o);
      store<f32>(z + row + o, zv);
      store<f32>(y + row + o, load<f32>(scale + o) * zv + load<f32>(shift + o));
    }
  }
  activate(y, M * N, act);
}

/** dx = s (g - mg - z mgz), per column vectors s, mg, mgz [N] (the batch-norm input gradient). */
export function normalizeInputGrad(g: usize, z: usize, s: usize, mg: usize, mgz: usize, dx: usize, M: i32, N: i32): void {
  const simd = N & ~3; // columns done 4 at a time; the rest one by one
  for (let k: usize = 0, end = (<usize>M * <usize>N) << 2; k < end; k += <usize>N << 2) {
    for (let o: usize = 0; o < (<usize>simd << 2); o += 16) {
      const c = f32x4.sub(v128.load(g + k + o), madd(v128.load(z + k + o), v128.load(mgz + o), v128.load(mg + o)));
      v128.store(dx + k + o, f32x4.mul(v128.load(s + o), c));
    }
    for (let o: usize = <usize>simd << 2; o < (<usize>N << 2); o += 4) {
      store<f32>(dx + k + o, load<f32>(s + o) * (load<f32>(g + k + o) - (load<f32>(z + k + o) * load<f32>(mgz + o) + load<f32>(mg + o))));
    }
  }
}

/** First byte past the module's static data: the host lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}
