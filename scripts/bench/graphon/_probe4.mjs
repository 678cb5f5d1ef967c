import { bandlimitedBasis, geSelect } from '../../../packages/graphon/dist/index.js';
import { loadCitation } from './citation.mjs';

const D = loadCitation('/work/shared/datasets', process.argv[2]);
let t = performance.now();
const b = bandlimitedBasis(D.graph, {
  k: Number(process.argv[3]),
  tol: 1e-6,
  precondition: process.argv[4] !== 'false',
});
console.log('basis', ((performance.now() - t) / 1000).toFixed(1), b.values[b.K - 1]);
t = performance.now();
const ge = geSelect(b);
console.log('ge', ((performance.now() - t) / 1000).toFixed(2), ge.condition);
