/** Small dense linear algebra shared by the closed-form solvers (linear regression, ALS, KernelSHAP). */

/**
 * In-place Cholesky factorisation A = L·Lᵀ of a symmetric n × n row-major matrix; the lower triangle of A becomes L.
 * A pivot ≤ `minPivot` means A is not (numerically) positive definite: the factorisation stops and returns false —
 * unless `clampTo` is given, in which case the pivot is raised to it (a tiny ridge in that direction) and it goes on.
 */
export function choleskyInPlace(A: Float64Array, n: number, options: { minPivot: number; clampTo?: number }): boolean {
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j] as number;
    for (let k = 0; k < j; k++) s -= (A[j * n + k] as number) ** 2;
    if (!(s > options.minPivot)) {
      if (options.clampTo === undefined) return false;
      s = Math.max(s, options.clampTo);
    }
    const l = Math.sqrt(s);
    A[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j] as number;
      for (let k = 0; k < j; k++) t -= (A[i * n + k] as number) * (A[j * n + k] as number);
      A[i * n + j] = t / l;
    }
  }
  return true;
}

/** Solves L·Lᵀ x = b with the factor from `choleskyInPlace` (forward, then back substitution). */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i] as number;
    for (let k = 0; k < i; k++) s -= (L[i * n + k] as number) * (x[k] as number);
    x[i] = s / (L[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < n; k++) s -= (L[k * n + i] as number) * (x[k] as number);
    x[i] = s / (L[i * n + i] as number);
  }
  return x;
}
