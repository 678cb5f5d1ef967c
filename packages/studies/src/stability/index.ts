/** PE stability audit: perturbations, alignment, the audit, its aggregates and writers. */
export * from './align.js';
export * from './audit.js';
export * from './perturb.js';
export * from './report.js';
export * from './summary.js';
