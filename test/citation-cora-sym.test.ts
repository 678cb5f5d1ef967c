// Cora (2,708 nodes, 78 components), sym Laplacian: the sweep crosses the end of the null space
// (k = 78) and the k where one LOBPCG start block over the whole graph skipped an eigenpair of a
// 26-node component (k = 95, 96, 110).
import { citationSweep } from './helpers/citation-suite.js';

citationSweep('cora', ['sym'], [1, 5, 40, 77, 78, 79, 80, 90, 94, 95, 96, 100, 110, 130, 160, 200]);
