/** @graphpe/studies — the OOD sweep, the PE stability audit, dataset statistics and their SVG plot writers. */

export * from './ood/index.js';
export * from './plot/svg.js';
export * from './stability/index.js';
export * from './stats/dataset-stats.js';
