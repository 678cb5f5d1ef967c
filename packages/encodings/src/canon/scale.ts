/**
 * Eigenvalue scaling of the MAP reference pipeline (Ma et al. 2023, arXiv 2310.18716,
 * `LaplacianCanonization/data/map.py::MAP`, `use_eig_val=True`): each column is multiplied by
 * √relu(λ_Â) of the normalized adjacency Â = D^{-1/2}AD^{-1/2} (DGL pipeline) or of Â + I (PyG `MAP`
 * transform). For the `sym` Laplacian L = I − Â these are √max(0, 1 − λ_L) and √max(0, 2 − λ_L).
 * Note the relu: every column with λ_Â < 0 (λ_L > 1) becomes all zeros in the `map` scaling.
 */
import { checkOption, type LaplacianKind } from '@graphpe/spectral';

/** `none` (default), `map` (× √relu(1 − λ_L), DGL pipeline) or `map-pyg` (× √relu(2 − λ_L), PyG transform). */
export type EigenvalueScaling = 'none' | 'map' | 'map-pyg';

/** Multiply the real columns (mask 1) of the n×k block in place by the scaling's factor of their eigenvalue. */
export function scaleByEigenvalues(
  vectors: Float64Array,
  n: number,
  k: number,
  values: Float64Array,
  mask: Uint8Array,
  scaling: EigenvalueScaling,
  laplacian: LaplacianKind,
  where: string,
): void {
  checkOption(
    scaling === 'none' || scaling === 'map' || scaling === 'map-pyg',
    where,
    "eigenvalueScaling must be 'none', 'map' or 'map-pyg'",
    scaling,
  );
  if (scaling === 'none') return;
  checkOption(
    laplacian === 'sym',
    where,
    'eigenvalueScaling maps λ_L to the normalized adjacency and needs the sym Laplacian',
    laplacian,
  );
  const shift = scaling === 'map' ? 1 : 2;
  const f = new Float64Array(k);
  for (let j = 0; j < k; j++) f[j] = mask[j] ? Math.sqrt(Math.max(0, shift - values[j])) : 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const y = vectors[i * k + j] * f[j];
      vectors[i * k + j] = y === 0 ? 0 : y; // no −0 from the relu
    }
  }
}
