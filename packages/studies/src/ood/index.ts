/** `graphpe bench ood`: budgets, ID/OOD splits, sweep cells, aggregation, table and plot writers. */
export * from './budget.js';
export * from './ood-cell.js';
export * from './ood-datasets.js';
export * from './ood-report.js';
export * from './ood-sweep.js';
