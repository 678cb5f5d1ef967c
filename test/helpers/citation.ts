// The LINQS citation graphs (Cora, CiteSeer) from $GRAPHPE_DATA_DIR, built by the rules the reference
// script test/fixtures/citation_eigenvalues.py states: papers with a content row in file order, an
// undirected unit edge when either cites the other, self-citations and citations of papers without a
// content row dropped.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fromCoo, type Graph } from '@graphpe/spectral';

export type CitationName = 'cora' | 'citeseer';

/** The data folder and the reason the citation files are not there (null when they are). */
export function citationData(name: CitationName): { dir: string; missing: string | null } {
  const dir = process.env.GRAPHPE_DATA_DIR ?? '';
  if (!dir) return { dir, missing: 'GRAPHPE_DATA_DIR is not set' };
  const files = [`${name}/${name}.content.gz`, `${name}/${name}.cites`].map((f) => join(dir, f));
  const absent = files.filter((f) => !existsSync(f));
  return { dir, missing: absent.length ? `${absent.join(', ')} not found` : null };
}

export function loadCitationGraph(dir: string, name: CitationName): Graph {
  const ids = gunzipSync(readFileSync(join(dir, name, `${name}.content.gz`)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(0, line.indexOf('\t')));
  const index = new Map(ids.map((id, i) => [id, i]));
  const seen = new Set<number>();
  const rows: number[] = [];
  const cols: number[] = [];
  for (const line of readFileSync(join(dir, name, `${name}.cites`), 'utf8').split('\n')) {
    if (!line) continue;
    const [a, b] = line.split('\t');
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j) continue;
    const key = Math.min(i, j) * ids.length + Math.max(i, j);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(i);
    cols.push(j);
  }
  return fromCoo(Int32Array.from(rows), Int32Array.from(cols), undefined, { n: ids.length });
}

/** Reference eigenvalues written by test/fixtures/citation_eigenvalues.py. */
export interface CitationReference {
  n: number;
  edges: number;
  components: number;
  isolated: number;
  sym: number[];
  comb: number[];
}

export function citationReference(name: CitationName): CitationReference {
  const file = new URL('../fixtures/citation-eigenvalues.json', import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')).graphs[name];
}
