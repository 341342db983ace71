/**
 * Logistic regression on a few features, for the FAQ matcher's confidence calibration: P(y = 1) = σ(w·x + b).
 * Fitted by Newton's method on weighted samples, with a Gaussian prior (L2 penalty towards `prior`), so that a
 * small knowledge base, with few samples, keeps close to the prior and a large one follows its own data.
 */

export interface Sample {
  x: number[];
  /** 1: the top entry was right; 0: it was wrong (or the question was out of scope). */
  y: number;
  weight: number;
  /** A known part of the logit, added to w·x + b and not fitted (0 when absent). */
  offset?: number;
}

/**
 * The weights followed by the intercept that minimise Σ weight · log loss + priorWeight / 2 · |θ − prior|²
 * (`prior` has one value per feature plus the intercept). With priorWeight 0 and separable or no data, the
 * fit stops where the Newton step becomes singular.
 */
export function fitLogistic(samples: Sample[], prior: number[], priorWeight: number): number[] {
  const size = prior.length;
  const theta = [...prior];
  for (let iteration = 0; iteration < 30; iteration++) {
    const gradient = theta.map((value, i) => priorWeight * (value - prior[i]!));
    const hessian = Array.from({ length: size }, (_, i) =>
      Array.from({ length: size }, (_unused, j) => (i === j ? priorWeight : 0)),
    );
    for (const { x, y, weight, offset } of samples) {
      let z = theta[size - 1]! + (offset ?? 0);
      for (let i = 0; i < size - 1; i++) z += theta[i]! * x[i]!;
      const p = 1 / (1 + Math.exp(-z));
      const curvature = weight * p * (1 - p);
      for (let i = 0; i < size; i++) {
        const xi = i === size - 1 ? 1 : x[i]!;
        gradient[i]! += weight * (p - y) * xi;
        for (let j = 0; j <= i; j++) hessian[i]![j]! += curvature * xi * (j === size - 1 ? 1 : x[j]!);
      }
    }
    for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) hessian[i]![j] = hessian[j]![i]!;
    const step = solve(hessian, gradient);
    if (!step) break;
    let moved = 0;
    for (let i = 0; i < size; i++) {
      theta[i]! -= step[i]!;
      moved = Math.max(moved, Math.abs(step[i]!));
    }
    if (moved < 1e-9) break;
  }
  return theta;
}

/** Solves A·x = b by Gaussian elimination with partial pivoting; undefined when A is singular. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const rows = a.map((row, i) => [...row, b[i]!]);
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) {
      if (Math.abs(rows[row]![column]!) > Math.abs(rows[pivot]![column]!)) pivot = row;
    }
    if (Math.abs(rows[pivot]![column]!) < 1e-12) return undefined;
    [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];
    for (let row = 0; row < n; row++) {
      if (row === column) continue;
      const factor = rows[row]![column]! / rows[column]![column]!;
      for (let k = column; k <= n; k++) rows[row]![k]! -= factor * rows[column]![k]!;
    }
  }
  return rows.map((row, i) => row[n]! / row[i]!);
}
