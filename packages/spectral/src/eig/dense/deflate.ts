/**
 * Deflation of a known null vector (Householder, Golub & Van Loan §5.1.2 / §8.1): a connected
 * Laplacian block L (m×m) has L x = 0 with x = D^{1/2}1 (`sym`) or x = 1 (`comb`). With
 * x̂ = x/‖x‖ and the reflector P = I − β v vᵀ, v = x̂ + e₀, β = 1/(1 + x̂₀), P x̂ = −e₀ and
 * P L P = [0 0; 0 L′], so the remaining eigenpairs come from the (m−1)×(m−1) block L′.
 * Using L x̂ = 0 exactly (true up to rounding), L′ = L₁₁ − v₁wᵀ − w v₁ᵀ with
 * w = β L[:,0] − (β² L₀₀ / 2) v, costing O(m²) instead of an m×m solve.
 */
export function deflateNullVector(
  L: Float64Array,
  lo: number,
  m: number,
  xhat: Float64Array,
  wv: Float64Array,
  out: Float64Array,
): void {
  const beta = 1 / (1 + xhat[0]);
  const k = 0.5 * beta * beta * L[lo];
  for (let i = 1; i < m; i++) wv[i] = beta * L[lo + i * m] - k * xhat[i];
  const m1 = m - 1;
  // Upper triangle only: the eigensolver never reads below the diagonal.
  for (let i = 1; i < m; i++) {
    const vi = xhat[i];
    const wi = wv[i];
    const ri = lo + i * m;
    const ro = (i - 1) * m1 - 1;
    for (let j = i; j < m; j++) out[ro + j] = L[ri + j] - vi * wv[j] - wi * xhat[j];
  }
}

/**
 * Map eigenvectors y′ of L′ (rows of `y`, length m−1, stride m−1) back to eigenvectors of L:
 * u = P [0; y′], i.e. u₀ = −x̂₁ᵀy′ and u_i = y′_{i−1} − β x̂_i (x̂₁ᵀy′). Row 0 of the result is x̂.
 * Results are written as rows of length m at `z[zo…]` (row r+1 from row r of `y`).
 */
export function undeflateVectors(
  y: Float64Array,
  m: number,
  xhat: Float64Array,
  z: Float64Array,
  zo: number,
): void {
  const m1 = m - 1;
  const beta = 1 / (1 + xhat[0]);
  for (let i = 0; i < m; i++) z[zo + i] = xhat[i];
  for (let r = 0; r < m1; r++) {
    const ry = r * m1;
    const rz = zo + (r + 1) * m;
    let t = 0;
    for (let i = 1; i < m; i++) t += xhat[i] * y[ry + i - 1];
    z[rz] = -t;
    const bt = beta * t;
    for (let i = 1; i < m; i++) z[rz + i] = y[ry + i - 1] - bt * xhat[i];
  }
}
