// Cora, combinatorial Laplacian D − A: the whole-graph start block skipped a pair at k = 110 and 130.
import { citationSweep } from './helpers/citation-suite.js';

citationSweep('cora', ['comb'], [1, 40, 78, 79, 85, 95, 100, 110, 120, 130, 160, 200]);
