// Loaders for the LINQS citation graphs in $GRAPHPE_DATA_DIR/{cora,citeseer,pubmed} (see each
// directory's SOURCE.md). Undirected, no self-loops, duplicates merged. Features are binary word
// indicators stored as CSR (Cora, CiteSeer); PubMed ships without its TF-IDF features (SOURCE.md),
// so it gets none here and the caller substitutes structural features.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fromCoo } from '@graphpe/spectral';

const text = (file) =>
  file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');

/** Why a dataset cannot be read (null when it can). */
export function missing(dir, name) {
  const need = {
    cora: ['cora/cora.content.gz', 'cora/cora.cites'],
    citeseer: ['citeseer/citeseer.content.gz', 'citeseer/citeseer.cites'],
    pubmed: ['pubmed/PubMed.node_labels', 'pubmed/Pubmed-Diabetes.DIRECTED.cites.tab.gz'],
  }[name];
  const absent = need.filter((f) => !existsSync(join(dir, f)));
  return absent.length ? `missing ${absent.join(', ')} under ${dir}` : null;
}

function build(ids, pairs) {
  const index = new Map(ids.map((id, i) => [id, i]));
  const rows = [];
  const cols = [];
  let dropped = 0;
  let selfLoops = 0;
  const seen = new Set();
  for (const [a, b] of pairs) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined) {
      dropped++;
      continue;
    }
    if (i === j) {
      selfLoops++;
      continue;
    }
    const key = i < j ? i * ids.length + j : j * ids.length + i;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(i);
    cols.push(j);
  }
  const graph = fromCoo(Int32Array.from(rows), Int32Array.from(cols), undefined, { n: ids.length });
  return { graph, edges: rows.length, dropped, selfLoops };
}

function linqs(dir, name) {
  const lines = text(join(dir, name, `${name}.content.gz`))
    .split('\n')
    .filter(Boolean);
  const ids = [];
  const labelNames = [];
  const featIndptr = [0];
  const featIndices = [];
  let F = 0;
  for (const line of lines) {
    const parts = line.split('\t');
    ids.push(parts[0]);
    labelNames.push(parts[parts.length - 1]);
    F = parts.length - 2;
    for (let c = 1; c <= F; c++) if (parts[c] !== '0') featIndices.push(c - 1);
    featIndptr.push(featIndices.length);
  }
  const classes = [...new Set(labelNames)].sort();
  const labels = Int32Array.from(labelNames, (l) => classes.indexOf(l));
  const pairs = text(join(dir, name, `${name}.cites`))
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
  const g = build(ids, pairs);
  return {
    name,
    ...g,
    labels,
    classes,
    features: {
      n: ids.length,
      m: F,
      F,
      indptr: Int32Array.from(featIndptr),
      indices: Int32Array.from(featIndices),
      values: new Float32Array(featIndices.length).fill(1),
    },
  };
}

function pubmed(dir) {
  const lab = text(join(dir, 'pubmed', 'PubMed.node_labels'))
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(','));
  const ids = lab.map(([id]) => id);
  const classes = [...new Set(lab.map(([, l]) => l))].sort();
  const labels = Int32Array.from(lab, ([, l]) => classes.indexOf(l));
  const pairs = text(join(dir, 'pubmed', 'Pubmed-Diabetes.DIRECTED.cites.tab.gz'))
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((l) => {
      const p = l.split('\t');
      return [p[1].replace('paper:', ''), p[3].replace('paper:', '')];
    });
  return { name: 'pubmed', ...build(ids, pairs), labels, classes, features: null };
}

export function loadCitation(dir, name) {
  return name === 'pubmed' ? pubmed(dir) : linqs(dir, name);
}
