/**
 * @graphpe/graphon — graphons, G(n, W) sampling, and sampling-set selection for large graphs
 * (Le, Ruiz, Jegelka, ICLR 2024, arXiv 2311.10610). Depends on @graphpe/spectral only.
 */
export const GRAPHON_PACKAGE = '@graphpe/graphon';
