// CiteSeer (3,312 papers with content, 438 components, 48 isolated): the null space has 390 (sym) or
// 438 (comb) exact zeros, so the sweep runs past them to reach the nonzero spectrum.
import { citationSweep } from './helpers/citation-suite.js';

citationSweep('citeseer', ['sym', 'comb'], [1, 50, 200, 389, 390, 391, 400, 437, 438, 439, 450, 475, 500]);
