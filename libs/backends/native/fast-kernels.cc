// Native (x86-64 AVX2 + FMA) build of the fast CPU path's kernels: the same exports, signatures and
// semantics as assembly/fast-kernels.ts, working on the same memory (a WebAssembly.Memory laid out
// by FastArena), addressed by byte offset. Compiled by scripts/build-native.mjs with the system C++
// compiler into build/fast-kernels.node (an N-API addon; never committed).
//
// The file is compiled for baseline x86-64; only the kernels (between the target pragmas) use AVX2
// and FMA, so loading the addon on a CPU without them reports `available: false` instead of
// faulting. Floating point is not contracted (-ffp-contract=off): the FMAs are the explicit ones.
//
// The addon exports { available, reason, bind(buffer) }: `bind` returns an object of the kernel
// functions; each call reads the buffer's current base address and length (so nothing dangles if
// the memory were ever replaced) and refuses an access past its end with a JS RangeError.
#include <node_api.h>
#include <immintrin.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace {

// Activation codes (the host's FAST_ACTIVATIONS order).
constexpr int LINEAR = 0;
constexpr int RELU = 1;
constexpr int TANH = 2;
constexpr int SELU = 3;

// Layer table of mlpForward / mlpBackward: LAYER_FIELDS i32 per layer (assembly/fast-kernels.ts).
constexpr int F_IN = 0, F_OUT = 1, F_ACT = 2, F_W = 3, F_B = 4, F_DW = 5, F_DB = 6, F_X = 7, F_Y = 8, F_GX = 9, F_GY = 10, F_WT = 11;
constexpr int LAYER_FIELDS = 12;

#pragma GCC push_options
#pragma GCC target("avx2,fma")

constexpr float SELU_SCALE = 1.0507009873554804934193349852946f;
constexpr float SELU_SCALE_ALPHA = 1.7580993408473768599402175208123f;

// tanh: x P(x^2) / Q(x^2) on [-c, c] (Eigen's f32 rational approximation); |x| < 4e-4 returns x.
constexpr float TANH_CLAMP = 7.90531110763549805f;
constexpr float TANH_TINY = 4e-4f;
constexpr float TA[7] = {-2.76076847742355e-16f, 2.00018790482477e-13f, -8.60467152213735e-11f, 5.12229709037114e-8f, 1.48572235717979e-5f, 6.37261928875436e-4f, 4.89352455891786e-3f};
constexpr float TB[4] = {1.19825839466702e-6f, 1.18534705686654e-4f, 2.268434632439e-3f, 4.89352518554385e-3f};

// e^x - 1 for x <= 0: x = n ln2 + r, e^r - 1 = r + r^2 P(r) (Cephes' f32 polynomial), then
// 2^n (e^r - 1) + (2^n - 1), exactly as the wasm kernels do.
constexpr float LOG2E = 1.44269504088896341f;
constexpr float LN2_HI = 0.693359375f;
constexpr float LN2_LO = -2.12194440e-4f;
constexpr float EP[6] = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};

typedef __m256 v8;

inline v8 splat(float x) { return _mm256_set1_ps(x); }
inline v8 madd(v8 a, v8 b, v8 c) { return _mm256_fmadd_ps(a, b, c); }
/** mask ? a : b */
inline v8 select(v8 a, v8 b, v8 mask) { return _mm256_blendv_ps(b, a, mask); }

inline v8 tanh8(v8 x0) {
  const v8 x = _mm256_min_ps(_mm256_max_ps(x0, splat(-TANH_CLAMP)), splat(TANH_CLAMP));
  const v8 x2 = _mm256_mul_ps(x, x);
  v8 p = splat(TA[0]);
  for (int i = 1; i < 7; i++) p = madd(x2, p, splat(TA[i]));
  p = _mm256_mul_ps(x, p);
  v8 q = splat(TB[0]);
  for (int i = 1; i < 4; i++) q = madd(x2, q, splat(TB[i]));
  const v8 r = _mm256_div_ps(p, q);
  const v8 ax = _mm256_andnot_ps(splat(-0.0f), x0);
  return select(x0, r, _mm256_cmp_ps(ax, splat(TANH_TINY), _CMP_LT_OQ));
}

inline v8 expm1Neg8(v8 x0) {
  const v8 x = _mm256_min_ps(_mm256_max_ps(x0, splat(-87.0f)), splat(0.0f));
  const v8 n = _mm256_floor_ps(madd(x, splat(LOG2E), splat(0.5f)));
  const v8 r = _mm256_sub_ps(_mm256_sub_ps(x, _mm256_mul_ps(n, splat(LN2_HI))), _mm256_mul_ps(n, splat(LN2_LO)));
  v8 p = splat(EP[0]);
  for (int i = 1; i < 6; i++) p = madd(r, p, splat(EP[i]));
  const v8 em1 = madd(_mm256_mul_ps(r, r), p, r);
  const v8 pow2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127)), 23));
  return madd(pow2, em1, _mm256_sub_ps(pow2, splat(1.0f)));
}

inline v8 selu8(v8 x) {
  const v8 pos = _mm256_mul_ps(x, splat(SELU_SCALE));
  const v8 neg = _mm256_mul_ps(expm1Neg8(x), splat(SELU_SCALE_ALPHA));
  return select(pos, neg, _mm256_cmp_ps(x, splat(0.0f), _CMP_GT_OQ));
}

inline v8 act8(v8 v, int act) {
  if (act == RELU) return _mm256_max_ps(v, _mm256_setzero_ps());
  if (act == TANH) return tanh8(v);
  if (act == SELU) return selu8(v);
  return v;
}

inline float act1(float x, int act) { return _mm256_cvtss_f32(act8(splat(x), act)); }

/** Lanes 0 .. n-1 on (n in 1..7). */
inline __m256i laneMask(int n) {
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), idx);
}

template <bool MASKED>
inline v8 load8(const float* p, __m256i mask) {
  if (MASKED) return _mm256_maskload_ps(p, mask);
  return _mm256_loadu_ps(p);
}

template <bool MASKED>
inline void store8(float* p, v8 v, __m256i mask) {
  if (MASKED) _mm256_maskstore_ps(p, mask, v);
  else _mm256_storeu_ps(p, v);
}

/**
 * R rows x V vectors of 8 columns of C in registers; the last vector masked when MASKED. A(r, k) is
 * at pa + r sm + k sk bytes; B rows ldb floats apart; C rows ldc floats apart.
 */
template <int R, int V, bool MASKED>
__attribute__((always_inline)) inline void tile(const char* pa, size_t sm, size_t sk, const float* pb, size_t ldb, int K, float* pc, size_t ldc, const float* bias, int act, int acc, __m256i mask) {
  v8 c[R][V];
#pragma GCC unroll 8
  for (int r = 0; r < R; r++) {
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) {
      const bool m = MASKED && v == V - 1;
      v8 x = _mm256_setzero_ps();
      if (bias != nullptr) x = m ? _mm256_maskload_ps(bias + 8 * v, mask) : _mm256_loadu_ps(bias + 8 * v);
      if (acc != 0) x = _mm256_add_ps(x, m ? _mm256_maskload_ps(pc + r * ldc + 8 * v, mask) : _mm256_loadu_ps(pc + r * ldc + 8 * v));
      c[r][v] = x;
    }
  }
  for (int k = 0; k < K; k++) {
    v8 b[V];
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) b[v] = (MASKED && v == V - 1) ? _mm256_maskload_ps(pb + 8 * v, mask) : _mm256_loadu_ps(pb + 8 * v);
#pragma GCC unroll 8
    for (int r = 0; r < R; r++) {
      const v8 a = _mm256_broadcast_ss(reinterpret_cast<const float*>(pa + r * sm));
#pragma GCC unroll 2
      for (int v = 0; v < V; v++) c[r][v] = madd(a, b[v], c[r][v]);
    }
    pa += sk;
    pb += ldb;
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; r++) {
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) {
      const v8 y = act8(c[r][v], act);
      if (MASKED && v == V - 1) _mm256_maskstore_ps(pc + r * ldc + 8 * v, mask, y);
      else _mm256_storeu_ps(pc + r * ldc + 8 * v, y);
    }
  }
}

/** R rows of C: 16 columns at a time, then 8, then the last 1-7 masked. */
template <int R>
void rowBlock(const char* pa, size_t sm, size_t sk, const float* b, int K, int N, float* pc, const float* bias, int act, int acc) {
  const size_t ld = static_cast<size_t>(N);
  const __m256i none = _mm256_setzero_si256();
  int n = 0;
  for (; n + 16 <= N; n += 16) tile<R, 2, false>(pa, sm, sk, b + n, ld, K, pc + n, ld, bias ? bias + n : nullptr, act, acc, none);
  if (n + 8 <= N) {
    tile<R, 1, false>(pa, sm, sk, b + n, ld, K, pc + n, ld, bias ? bias + n : nullptr, act, acc, none);
    n += 8;
  }
  if (n < N) tile<R, 1, true>(pa, sm, sk, b + n, ld, K, pc + n, ld, bias ? bias + n : nullptr, act, acc, laneMask(N - n));
}

/** Horizontal sum of 8 lanes. */
inline float hsum(v8 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

/** bias + (C when acc) + the product's sum s, activated: one element of C. */
inline float finish1(float s, const float* bias, int n, const float* pc, int act, int acc) {
  float x = bias != nullptr ? bias[n] : 0.0f;
  if (acc != 0) x += *pc;
  return act1(x + s, act);
}

/**
 * A B with N < 8 (an output layer: 1 or 2 columns) and A's rows contiguous (sk = 4): dot products
 * along K, 8 wide, against B's columns copied contiguous (`bt`, K N floats).
 */
void gemmNarrow(const char* a, size_t sm, const float* b, float* c, int M, int K, int N, const float* bias, int act, int acc, float* bt) {
  for (int k = 0; k < K; k++)
    for (int n = 0; n < N; n++) bt[static_cast<size_t>(n) * K + k] = b[static_cast<size_t>(k) * N + n];
  for (int m = 0; m < M; m++) {
    const float* pa = reinterpret_cast<const float*>(a + m * sm);
    for (int n = 0; n < N; n++) {
      const float* pb = bt + static_cast<size_t>(n) * K;
      v8 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
      int k = 0;
      for (; k + 16 <= K; k += 16) {
        s0 = madd(_mm256_loadu_ps(pa + k), _mm256_loadu_ps(pb + k), s0);
        s1 = madd(_mm256_loadu_ps(pa + k + 8), _mm256_loadu_ps(pb + k + 8), s1);
      }
      if (k + 8 <= K) {
        s0 = madd(_mm256_loadu_ps(pa + k), _mm256_loadu_ps(pb + k), s0);
        k += 8;
      }
      float s = hsum(_mm256_add_ps(s0, s1));
      for (; k < K; k++) s += pa[k] * pb[k];
      float* pc = c + static_cast<size_t>(m) * N + n;
      *pc = finish1(s, bias, n, pc, act, acc);
    }
  }
}

/**
 * A^T B with N < 8 (the weight gradient of an output layer): A's row k (C's rows m at step k) is
 * contiguous (sm = 4), so each step adds b[k, n] times it to column n's sums (`t`, M N floats),
 * reading A once, in order.
 */
void gemmNarrowT(const char* a, size_t sk, const float* b, float* c, int M, int K, int N, const float* bias, int act, int acc, float* t) {
  for (int i = 0; i < M * N; i++) t[i] = 0;
  for (int k = 0; k < K; k++) {
    const float* pa = reinterpret_cast<const float*>(a + k * sk);
    for (int n = 0; n < N; n++) {
      float* pt = t + static_cast<size_t>(n) * M;
      const float bk = b[static_cast<size_t>(k) * N + n];
      const v8 bv = splat(bk);
      int m = 0;
      for (; m + 8 <= M; m += 8) _mm256_storeu_ps(pt + m, madd(_mm256_loadu_ps(pa + m), bv, _mm256_loadu_ps(pt + m)));
      for (; m < M; m++) pt[m] += pa[m] * bk;
    }
  }
  for (int m = 0; m < M; m++) {
    for (int n = 0; n < N; n++) {
      float* pc = c + static_cast<size_t>(m) * N + n;
      *pc = finish1(t[static_cast<size_t>(n) * M + m], bias, n, pc, act, acc);
    }
  }
}

/** Floats of the stack scratch of gemmNarrow (K N up to this) and gemmNarrowT (M N). */
constexpr int NARROW_MAX = 8192;

/**
 * C[M,N] = act(op(A) B + bias (+ C when acc)); A(m,k) at a + m sm + k sk bytes (A B: sm = 4K,
 * sk = 4; A^T B: sm = 4, sk = 4M). Blocks of 6 rows x 16 columns (12 accumulators), edges by
 * smaller row counts and masked column vectors. No packing: at these sizes (<= ~1024) B's panel
 * stays in L1/L2. Fewer than 8 columns (output layers): dot products along K, or 8 rows at a time
 * for A^T B.
 */
void gemm(const char* a, size_t sm, size_t sk, const float* b, float* c, int M, int K, int N, const float* bias, int act, int acc) {
  if (N < 8 && K >= 8) {
    if (sk == 4 && K * N <= NARROW_MAX) {
      alignas(32) float bt[NARROW_MAX];
      gemmNarrow(a, sm, b, c, M, K, N, bias, act, acc, bt);
      return;
    }
    if (sm == 4 && M * N <= NARROW_MAX) {
      alignas(32) float t[NARROW_MAX];
      gemmNarrowT(a, sk, b, c, M, K, N, bias, act, acc, t);
      return;
    }
  }
  int m = 0;
  for (; m + 6 <= M; m += 6) rowBlock<6>(a + m * sm, sm, sk, b, K, N, c + static_cast<size_t>(m) * N, bias, act, acc);
  const char* pa = a + m * sm;
  float* pc = c + static_cast<size_t>(m) * N;
  switch (M - m) {
    case 5: rowBlock<5>(pa, sm, sk, b, K, N, pc, bias, act, acc); break;
    case 4: rowBlock<4>(pa, sm, sk, b, K, N, pc, bias, act, acc); break;
    case 3: rowBlock<3>(pa, sm, sk, b, K, N, pc, bias, act, acc); break;
    case 2: rowBlock<2>(pa, sm, sk, b, K, N, pc, bias, act, acc); break;
    case 1: rowBlock<1>(pa, sm, sk, b, K, N, pc, bias, act, acc); break;
    default: break;
  }
}

void activate(float* p, int n, int act) {
  int i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(p + i, act8(_mm256_loadu_ps(p + i), act));
  for (; i < n; i++) p[i] = act1(p[i], act);
}

/** dst[C,R] = src[R,C]^T, in 8 x 8 blocks of scalars (cache-friendly on both sides). */
void transpose(const float* src, float* dst, int R, int C) {
  for (int r0 = 0; r0 < R; r0 += 8) {
    const int r1 = r0 + 8 < R ? r0 + 8 : R;
    for (int c0 = 0; c0 < C; c0 += 8) {
      const int c1 = c0 + 8 < C ? c0 + 8 : C;
      for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) dst[static_cast<size_t>(c) * R + r] = src[static_cast<size_t>(r) * C + c];
    }
  }
}

/** g <- g act'(z), from y = act(z): 1, [y > 0], 1 - y^2, SELU: scale where y > 0 else y + scale alpha. */
void activationBackward(float* g, const float* y, int n, int act) {
  if (act == LINEAR) return;
  int i = 0;
  const v8 zero = _mm256_setzero_ps();
  for (; i + 8 <= n; i += 8) {
    const v8 yv = _mm256_loadu_ps(y + i);
    const v8 gv = _mm256_loadu_ps(g + i);
    v8 d;
    if (act == RELU) d = _mm256_and_ps(gv, _mm256_cmp_ps(yv, zero, _CMP_GT_OQ));
    else if (act == TANH) d = _mm256_mul_ps(gv, _mm256_sub_ps(splat(1.0f), _mm256_mul_ps(yv, yv)));
    else d = _mm256_mul_ps(gv, select(splat(SELU_SCALE), _mm256_add_ps(yv, splat(SELU_SCALE_ALPHA)), _mm256_cmp_ps(yv, zero, _CMP_GT_OQ)));
    _mm256_storeu_ps(g + i, d);
  }
  for (; i < n; i++) {
    const float yv = y[i];
    if (act == RELU) g[i] = yv > 0 ? g[i] : 0.0f;
    else if (act == TANH) g[i] = g[i] * (1.0f - yv * yv);
    else g[i] = g[i] * (yv > 0 ? SELU_SCALE : yv + SELU_SCALE_ALPHA);
  }
}

/** out[N] = sum over the M rows of x[M,N] (+ out when acc). */
void columnSum(const float* x, float* out, int M, int N, int acc) {
  int n = 0;
  for (; n + 8 <= N; n += 8) {
    v8 s = acc != 0 ? _mm256_loadu_ps(out + n) : _mm256_setzero_ps();
    for (int m = 0; m < M; m++) s = _mm256_add_ps(s, _mm256_loadu_ps(x + static_cast<size_t>(m) * N + n));
    _mm256_storeu_ps(out + n, s);
  }
  for (; n < N; n++) {
    float s = acc != 0 ? out[n] : 0.0f;
    for (int m = 0; m < M; m++) s += x[static_cast<size_t>(m) * N + n];
    out[n] = s;
  }
}

inline int field(const int32_t* table, int l, int f) { return table[l * LAYER_FIELDS + f]; }

void mlpForward(char* mem, const int32_t* table, int layers, int batch) {
  for (int l = 0; l < layers; l++) {
    const int nin = field(table, l, F_IN);
    const int b = field(table, l, F_B);
    gemm(mem + field(table, l, F_X), static_cast<size_t>(nin) * 4, 4, reinterpret_cast<const float*>(mem + field(table, l, F_W)), reinterpret_cast<float*>(mem + field(table, l, F_Y)), batch, nin, field(table, l, F_OUT),
         b != 0 ? reinterpret_cast<const float*>(mem + b) : nullptr, field(table, l, F_ACT), 0);
  }
}

void mlpBackward(char* mem, const int32_t* table, int layers, int batch, int inputGrad, int weights) {
  const auto f32 = [mem](int off) { return reinterpret_cast<float*>(mem + off); };
  for (int l = layers - 1; l >= 0; l--) {
    const int nin = field(table, l, F_IN);
    const int nout = field(table, l, F_OUT);
    float* gy = f32(field(table, l, F_GY));
    activationBackward(gy, f32(field(table, l, F_Y)), batch * nout, field(table, l, F_ACT));
    if (weights != 0) {
      // dW[in,out] = x^T dz: A(m,k) = x[k, m]
      gemm(mem + field(table, l, F_X), 4, static_cast<size_t>(nin) * 4, gy, f32(field(table, l, F_DW)), nin, batch, nout, nullptr, LINEAR, 0);
      columnSum(gy, f32(field(table, l, F_DB)), batch, nout, 0);
    }
    if (l > 0 || inputGrad != 0) {
      float* wt = f32(field(table, l, F_WT));
      transpose(f32(field(table, l, F_W)), wt, nin, nout);
      gemm(reinterpret_cast<const char*>(gy), static_cast<size_t>(nout) * 4, 4, wt, f32(field(table, l, F_GX)), batch, nout, nin, nullptr, LINEAR, 0);
    }
  }
}

/** Sum of squares: f32 lanes, summed in f64 at the end (the tail in f64). */
double sumSquares(const float* p, int n) {
  v8 s = _mm256_setzero_ps();
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const v8 v = _mm256_loadu_ps(p + i);
    s = madd(v, v, s);
  }
  float lanes[8];
  _mm256_storeu_ps(lanes, s);
  double t = 0;
  for (float lane : lanes) t += lane;
  for (; i < n; i++) t += static_cast<double>(p[i]) * p[i];
  return t;
}

void scale(float* p, int n, float s) {
  int i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(p + i, _mm256_mul_ps(_mm256_loadu_ps(p + i), splat(s)));
  for (; i < n; i++) p[i] = p[i] * s;
}

/** One step of torch.optim.Adam (AdamW with decoupled), as assembly/fast-kernels.ts's adam. */
void adam(float* p, const float* g, float* m, float* v, int n, float lr, float b1, float b2, float eps, float stepSize, float sqrtBc2, float wd, int decoupled) {
  const v8 w1 = splat(1 - b1), b2v = splat(b2), w2 = splat(1 - b2), epsv = splat(eps), ss = splat(stepSize), sb = splat(sqrtBc2), wdv = splat(wd);
  const float decay = 1 - lr * wd;
  const v8 decayv = splat(decay);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    v8 pv = _mm256_loadu_ps(p + i);
    v8 gv = _mm256_loadu_ps(g + i);
    if (wd != 0) {
      if (decoupled != 0) pv = _mm256_mul_ps(pv, decayv);
      else gv = madd(pv, wdv, gv);
    }
    const v8 mv0 = _mm256_loadu_ps(m + i);
    const v8 mv = madd(w1, _mm256_sub_ps(gv, mv0), mv0);
    const v8 vv = madd(_mm256_mul_ps(gv, gv), w2, _mm256_mul_ps(_mm256_loadu_ps(v + i), b2v));
    _mm256_storeu_ps(m + i, mv);
    _mm256_storeu_ps(v + i, vv);
    const v8 denom = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vv), sb), epsv);
    _mm256_storeu_ps(p + i, _mm256_sub_ps(pv, _mm256_mul_ps(ss, _mm256_div_ps(mv, denom))));
  }
  for (; i < n; i++) {
    float pv = p[i];
    float gv = g[i];
    if (wd != 0) {
      if (decoupled != 0) pv *= decay;
      else gv += wd * pv;
    }
    const float mv = m[i] + (1 - b1) * (gv - m[i]);
    const float vv = b2 * v[i] + (1 - b2) * gv * gv;
    m[i] = mv;
    v[i] = vv;
    p[i] = pv - stepSize * (mv / (sqrtf(vv) / sqrtBc2 + eps));
  }
}

/** f64 out[j] = sum_m x[m, j]. */
void columnSum64(const float* x, double* out, int M, int N) {
  for (int n = 0; n < N; n++) out[n] = 0;
  for (int m = 0; m < M; m++) {
    const float* row = x + static_cast<size_t>(m) * N;
    for (int n = 0; n < N; n++) out[n] += static_cast<double>(row[n]);
  }
}

/** f64 out[j] = sum_m (a[m, j] - mu[j]) (b[m, j] - mu[j]); mu null: plain products. */
void columnDot64(const float* a, const float* b, const double* mu, double* out, int M, int N) {
  for (int n = 0; n < N; n++) out[n] = 0;
  for (int m = 0; m < M; m++) {
    const size_t row = static_cast<size_t>(m) * N;
    for (int n = 0; n < N; n++) {
      const double c = mu != nullptr ? mu[n] : 0.0;
      out[n] += (static_cast<double>(a[row + n]) - c) * (static_cast<double>(b[row + n]) - c);
    }
  }
}

/** z = (x - mu) inv and y = act(scale z + shift), per column vectors [N]. */
void normalizeAffine(const float* x, const float* mu, const float* inv, const float* scl, const float* shift, float* z, float* y, int M, int N, int act) {
  for (int m = 0; m < M; m++) {
    const size_t row = static_cast<size_t>(m) * N;
    int n = 0;
    for (; n + 8 <= N; n += 8) {
      const v8 zv = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + row + n), _mm256_loadu_ps(mu + n)), _mm256_loadu_ps(inv + n));
      _mm256_storeu_ps(z + row + n, zv);
      _mm256_storeu_ps(y + row + n, madd(_mm256_loadu_ps(scl + n), zv, _mm256_loadu_ps(shift + n)));
    }
    for (; n < N; n++) {
      const float zv = (x[row + n] - mu[n]) * inv[n];
      z[row + n] = zv;
      y[row + n] = scl[n] * zv + shift[n];
    }
  }
  activate(y, M * N, act);
}

/** dx = s (g - mg - z mgz), per column vectors s, mg, mgz [N]. */
void normalizeInputGrad(const float* g, const float* z, const float* s, const float* mg, const float* mgz, float* dx, int M, int N) {
  for (int m = 0; m < M; m++) {
    const size_t row = static_cast<size_t>(m) * N;
    int n = 0;
    for (; n + 8 <= N; n += 8) {
      const v8 c = _mm256_sub_ps(_mm256_loadu_ps(g + row + n), madd(_mm256_loadu_ps(z + row + n), _mm256_loadu_ps(mgz + n), _mm256_loadu_ps(mg + n)));
      _mm256_storeu_ps(dx + row + n, _mm256_mul_ps(_mm256_loadu_ps(s + n), c));
    }
    for (; n < N; n++) dx[row + n] = s[n] * (g[row + n] - (z[row + n] * mgz[n] + mg[n]));
  }
}

#pragma GCC pop_options

// ---------------------------------------------------------------------------------------------
// N-API glue (baseline x86-64 code).

/** What one bound function holds: a strong reference to the memory's ArrayBuffer. */
struct Binding {
  napi_ref buffer;
};

/** The call's arguments as numbers, and the memory's current base and length. */
struct Call {
  napi_env env;
  char* mem = nullptr;
  size_t len = 0;
  napi_value argv[13];
  size_t argc = 13;
  bool failed = false;

  Call(napi_env e, napi_callback_info info) : env(e) {
    void* data = nullptr;
    napi_value buf;
    void* base = nullptr;
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, &data) != napi_ok || napi_get_reference_value(env, static_cast<Binding*>(data)->buffer, &buf) != napi_ok ||
        napi_get_arraybuffer_info(env, buf, &base, &len) != napi_ok || base == nullptr) {
      fail("fast-kernels.node: the memory is gone");
      return;
    }
    mem = static_cast<char*>(base);
  }

  void fail(const char* msg) {
    if (!failed) napi_throw_range_error(env, nullptr, msg);
    failed = true;
  }

  double num(size_t i) {
    double x = 0;
    if (i >= argc || napi_get_value_double(env, argv[i], &x) != napi_ok) fail("fast-kernels.node: a number argument is missing");
    return x;
  }
  int i32(size_t i) {
    const double x = num(i);
    if (!(x >= -2147483648.0 && x <= 2147483647.0)) fail("fast-kernels.node: an integer argument is out of range");
    return failed ? 0 : static_cast<int>(x);
  }
  /** A count (>= 0). */
  int count(size_t i) {
    const int n = i32(i);
    if (n < 0) fail("fast-kernels.node: a negative size");
    return failed ? 0 : n;
  }
  /** A byte offset whose `bytes` bytes lie inside the memory (0 allowed when `optional`). */
  size_t offset(size_t i, double bytes, bool optional = false) {
    const double at = num(i);
    if (failed) return 0;
    if (optional && at == 0) return 0;
    if (!(at >= 1 && at + bytes <= static_cast<double>(len) && at == static_cast<double>(static_cast<size_t>(at)))) {
      fail("fast-kernels.node: a buffer lies outside the memory");
      return 0;
    }
    return static_cast<size_t>(at);
  }
  float* f32(size_t at) { return at == 0 ? nullptr : reinterpret_cast<float*>(mem + at); }
  double* f64(size_t at) { return at == 0 ? nullptr : reinterpret_cast<double*>(mem + at); }
  /** Bytes spanned by `n` elements `stride` bytes apart, each `size` bytes (0 for n == 0). */
  static double span(double n, double stride, double size) { return n <= 0 ? 0 : (n - 1) * stride + size; }
  /** Checks that an op(A) with strides sm, sk over M x K lies inside the memory. */
  bool strided(double a, double sm, double sk, double M, double K) {
    if (failed || M == 0 || K == 0) return !failed;
    if (!(sm >= 0 && sk >= 0 && a >= 1 && a + (M - 1) * sm + (K - 1) * sk + 4 <= static_cast<double>(len))) fail("fast-kernels.node: a buffer lies outside the memory");
    return !failed;
  }
  napi_value undefined() {
    napi_value u;
    napi_get_undefined(env, &u);
    return u;
  }
};

napi_value Gemm(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int M = c.count(5), K = c.count(6), N = c.count(7);
  const double sm = c.num(1), sk = c.num(2);
  const size_t b = c.offset(3, 4.0 * K * N), out = c.offset(4, 4.0 * M * N), bias = c.offset(8, 4.0 * N, true);
  const int act = c.i32(9), acc = c.i32(10);
  if (!c.strided(c.num(0), sm, sk, M, K) || M == 0 || N == 0) return c.undefined();
  gemm(c.mem + static_cast<size_t>(c.num(0)), static_cast<size_t>(sm), static_cast<size_t>(sk), c.f32(b), c.f32(out), M, K, N, c.f32(bias), act, acc);
  return c.undefined();
}

napi_value Transpose(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int R = c.count(2), C = c.count(3);
  const size_t src = c.offset(0, 4.0 * R * C), dst = c.offset(1, 4.0 * R * C);
  if (!c.failed) transpose(c.f32(src), c.f32(dst), R, C);
  return c.undefined();
}

napi_value Activate(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int n = c.count(1);
  const size_t p = c.offset(0, 4.0 * n);
  const int act = c.i32(2);
  if (!c.failed) activate(c.f32(p), n, act);
  return c.undefined();
}

napi_value ActivationBackward(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int n = c.count(2);
  const size_t g = c.offset(0, 4.0 * n), y = c.offset(1, 4.0 * n);
  const int act = c.i32(3);
  if (!c.failed) activationBackward(c.f32(g), c.f32(y), n, act);
  return c.undefined();
}

napi_value ColumnSum(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int M = c.count(2), N = c.count(3);
  const size_t x = c.offset(0, 4.0 * M * N), out = c.offset(1, 4.0 * N);
  const int acc = c.i32(4);
  if (!c.failed) columnSum(c.f32(x), c.f32(out), M, N, acc);
  return c.undefined();
}

/** Checks every buffer a layer table names against the memory, for `batch` rows. */
bool checkTable(Call& c, const int32_t* table, int layers, int batch, bool backward) {
  for (int l = 0; l < layers && !c.failed; l++) {
    const double nin = field(table, l, F_IN), nout = field(table, l, F_OUT);
    const int act = field(table, l, F_ACT);
    const double len = static_cast<double>(c.len);
    const auto inside = [&](int f, double bytes, bool optional) {
      const double at = field(table, l, f);
      if (optional && at == 0) return true;
      return at >= 1 && at + bytes <= len;
    };
    bool ok = nin >= 0 && nout >= 0 && act >= LINEAR && act <= SELU && inside(F_W, 4 * nin * nout, false) && inside(F_B, 4 * nout, true) && inside(F_X, 4 * batch * nin, false) && inside(F_Y, 4 * batch * nout, false);
    if (backward) ok = ok && inside(F_DW, 4 * nin * nout, false) && inside(F_DB, 4 * nout, false) && inside(F_GX, 4 * batch * nin, false) && inside(F_GY, 4 * batch * nout, false) && inside(F_WT, 4 * nin * nout, false);
    if (!ok) c.fail("fast-kernels.node: a layer table entry lies outside the memory");
  }
  return !c.failed;
}

napi_value MlpForward(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int layers = c.count(1), batch = c.count(2);
  const size_t table = c.offset(0, 4.0 * LAYER_FIELDS * layers);
  if (c.failed) return c.undefined();
  const int32_t* t = reinterpret_cast<const int32_t*>(c.mem + table);
  if (checkTable(c, t, layers, batch, false)) mlpForward(c.mem, t, layers, batch);
  return c.undefined();
}

napi_value MlpBackward(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int layers = c.count(1), batch = c.count(2);
  const size_t table = c.offset(0, 4.0 * LAYER_FIELDS * layers);
  const int inputGrad = c.i32(3), weights = c.i32(4);
  if (c.failed) return c.undefined();
  const int32_t* t = reinterpret_cast<const int32_t*>(c.mem + table);
  if (checkTable(c, t, layers, batch, true)) mlpBackward(c.mem, t, layers, batch, inputGrad, weights);
  return c.undefined();
}

napi_value SumSquares(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int n = c.count(1);
  const size_t p = c.offset(0, 4.0 * n);
  if (c.failed) return c.undefined();
  napi_value r;
  napi_create_double(env, sumSquares(c.f32(p), n), &r);
  return r;
}

napi_value Scale(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int n = c.count(1);
  const size_t p = c.offset(0, 4.0 * n);
  const float s = static_cast<float>(c.num(2));
  if (!c.failed) scale(c.f32(p), n, s);
  return c.undefined();
}

napi_value Adam(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int n = c.count(4);
  const size_t p = c.offset(0, 4.0 * n), g = c.offset(1, 4.0 * n), m = c.offset(2, 4.0 * n), v = c.offset(3, 4.0 * n);
  float h[8];
  for (int i = 0; i < 8; i++) h[i] = static_cast<float>(c.num(5 + i));
  const int decoupled = c.i32(12);
  if (!c.failed) adam(c.f32(p), c.f32(g), c.f32(m), c.f32(v), n, h[0], h[1], h[2], h[3], h[4], h[5], h[6], decoupled);
  return c.undefined();
}

napi_value ColumnSum64(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int M = c.count(2), N = c.count(3);
  const size_t x = c.offset(0, 4.0 * M * N), out = c.offset(1, 8.0 * N);
  if (!c.failed) columnSum64(c.f32(x), c.f64(out), M, N);
  return c.undefined();
}

napi_value ColumnDot64(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int M = c.count(4), N = c.count(5);
  const size_t a = c.offset(0, 4.0 * M * N), b = c.offset(1, 4.0 * M * N), mu = c.offset(2, 8.0 * N, true), out = c.offset(3, 8.0 * N);
  if (!c.failed) columnDot64(c.f32(a), c.f32(b), c.f64(mu), c.f64(out), M, N);
  return c.undefined();
}

napi_value NormalizeAffine(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int M = c.count(7), N = c.count(8);
  const double mat = 4.0 * M * N, vec = 4.0 * N;
  const size_t x = c.offset(0, mat), mu = c.offset(1, vec), inv = c.offset(2, vec), scl = c.offset(3, vec), shift = c.offset(4, vec), z = c.offset(5, mat), y = c.offset(6, mat);
  const int act = c.i32(9);
  if (!c.failed) normalizeAffine(c.f32(x), c.f32(mu), c.f32(inv), c.f32(scl), c.f32(shift), c.f32(z), c.f32(y), M, N, act);
  return c.undefined();
}

napi_value NormalizeInputGrad(napi_env env, napi_callback_info info) {
  Call c(env, info);
  const int M = c.count(6), N = c.count(7);
  const double mat = 4.0 * M * N, vec = 4.0 * N;
  const size_t g = c.offset(0, mat), z = c.offset(1, mat), s = c.offset(2, vec), mg = c.offset(3, vec), mgz = c.offset(4, vec), dx = c.offset(5, mat);
  if (!c.failed) normalizeInputGrad(c.f32(g), c.f32(z), c.f32(s), c.f32(mg), c.f32(mgz), c.f32(dx), M, N);
  return c.undefined();
}

/** The first byte the host may lay buffers out from (0 stays "no buffer", as in the wasm). */
napi_value HeapBase(napi_env env, napi_callback_info) {
  napi_value r;
  napi_create_uint32(env, 16, &r);
  return r;
}

void freeBinding(napi_env env, void* data, void*) {
  Binding* b = static_cast<Binding*>(data);
  napi_delete_reference(env, b->buffer);
  delete b;
}

const struct {
  const char* name;
  napi_callback cb;
} EXPORTS[] = {
    {"gemm", Gemm},
    {"transpose", Transpose},
    {"activate", Activate},
    {"activationBackward", ActivationBackward},
    {"columnSum", ColumnSum},
    {"mlpForward", MlpForward},
    {"mlpBackward", MlpBackward},
    {"sumSquares", SumSquares},
    {"scale", Scale},
    {"adam", Adam},
    {"columnSum64", ColumnSum64},
    {"columnDot64", ColumnDot64},
    {"normalizeAffine", NormalizeAffine},
    {"normalizeInputGrad", NormalizeInputGrad},
    {"heapBase", HeapBase},
};

/** bind(buffer): the kernels on `buffer` (the arena's WebAssembly.Memory buffer). */
napi_value Bind(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value buf;
  bool isBuffer = false;
  if (napi_get_cb_info(env, info, &argc, &buf, nullptr, nullptr) != napi_ok || argc < 1 || napi_is_arraybuffer(env, buf, &isBuffer) != napi_ok || !isBuffer) {
    napi_throw_type_error(env, nullptr, "fast-kernels.node: bind(buffer) takes an ArrayBuffer");
    return nullptr;
  }
  napi_value obj;
  napi_create_object(env, &obj);
  for (const auto& e : EXPORTS) {
    Binding* b = new Binding();
    napi_create_reference(env, buf, 1, &b->buffer);
    napi_value fn;
    napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.cb, b, &fn);
    napi_add_finalizer(env, fn, b, freeBinding, nullptr, nullptr);
    napi_set_named_property(env, obj, e.name, fn);
  }
  return obj;
}

napi_value Init(napi_env env, napi_value exports) {
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2"), fma = __builtin_cpu_supports("fma");
  napi_value available, reason;
  napi_get_boolean(env, avx2 && fma, &available);
  napi_set_named_property(env, exports, "available", available);
  if (!(avx2 && fma)) {
    const char* why = !avx2 && !fma ? "this CPU has neither AVX2 nor FMA" : !avx2 ? "this CPU has no AVX2" : "this CPU has no FMA";
    napi_create_string_utf8(env, why, NAPI_AUTO_LENGTH, &reason);
    napi_set_named_property(env, exports, "reason", reason);
    return exports;
  }
  napi_value bind;
  napi_create_function(env, "bind", NAPI_AUTO_LENGTH, Bind, nullptr, &bind);
  napi_set_named_property(env, exports, "bind", bind);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
