/**
 * The atoms of a SMILES string as written, in order (= RDKit's atom order for a parsed SMILES without
 * explicit hydrogen atoms): element symbol as written, whether it was a bracket atom, the H count written in
 * the bracket, and the bracket charge. OpenSMILES grammar, http://opensmiles.org/opensmiles.html §3.
 */

/** Atoms of a SMILES string as written. */
export interface WrittenAtoms {
  readonly count: number;
  /** Symbol as written (`c`, `Cl`, `nH` → `n`). */
  readonly symbols: readonly string[];
  readonly bracket: Uint8Array;
  /** H count written inside the bracket (0 outside brackets). */
  readonly hydrogens: Int32Array;
  readonly charge: Int32Array;
}

const ORGANIC = /^(Cl|Br|B|C|N|O|P|S|F|I|b|c|n|o|p|s|\*)/;
const BRACKET =
  /^\[(\d*)([A-Z][a-z]?|[a-z][a-z]?|\*)(@(?:@|TH[12]|AL[12]|SP[1-3]|TB\d{1,2}|OH\d{1,2})?)?(H\d*)?([+-]+\d*)?(:\d+)?\]$/;

/** Tokenize the atoms of `smiles`; returns `undefined` on a bracket atom it cannot read. */
export function writtenAtoms(smiles: string): WrittenAtoms | undefined {
  const symbols: string[] = [];
  const bracket: number[] = [];
  const hydrogens: number[] = [];
  const charge: number[] = [];
  let i = 0;
  const s = smiles.trim();
  while (i < s.length) {
    const c = s[i];
    if (c === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) return undefined;
      const m = BRACKET.exec(s.slice(i, close + 1));
      if (!m) return undefined;
      symbols.push(m[2]);
      bracket.push(1);
      hydrogens.push(m[4] ? (m[4].length > 1 ? Number(m[4].slice(1)) : 1) : 0);
      let q = 0;
      if (m[5]) {
        const sign = m[5][0] === '+' ? 1 : -1;
        const digits = m[5].replace(/[+-]/g, '');
        q = sign * (digits ? Number(digits) : m[5].length);
      }
      charge.push(q);
      i = close + 1;
      continue;
    }
    const m = ORGANIC.exec(s.slice(i, i + 2));
    if (m) {
      symbols.push(m[1]);
      bracket.push(0);
      hydrogens.push(0);
      charge.push(0);
      i += m[1].length;
      continue;
    }
    if (c === ' ' || c === '\t') break; // a name follows
    i++; // bonds, branches, ring closures (%nn digits), dots
  }
  return {
    count: symbols.length,
    symbols,
    bracket: Uint8Array.from(bracket),
    hydrogens: Int32Array.from(hydrogens),
    charge: Int32Array.from(charge),
  };
}

/**
 * The bonds written with a direction (`/` or `\`) in a SMILES string, as pairs of written-atom indices
 * (ring closures included). RDKit's legacy stereo perception derives double-bond stereo from these
 * directions, so a double bond keeps its stereo only while each end keeps such a bond.
 */
export function directionalBonds(smiles: string): [number, number][] {
  const out: [number, number][] = [];
  const s = smiles.trim();
  const stack: number[] = [];
  const rings = new Map<string, { atom: number; symbol: string }>();
  let prev = -1;
  let atom = -1;
  let bond = '';
  let i = 0;
  const addBond = (a: number, b: number, symbol: string) => {
    if (symbol === '/' || symbol === '\\') out.push([a, b]);
  };
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') break;
    let isAtom = false;
    if (c === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) break;
      i = close + 1;
      isAtom = true;
    } else {
      const m = ORGANIC.exec(s.slice(i, i + 2));
      if (m) {
        i += m[1].length;
        isAtom = true;
      }
    }
    if (isAtom) {
      atom++;
      if (prev >= 0) addBond(prev, atom, bond);
      prev = atom;
      bond = '';
      continue;
    }
    if (c === '(') stack.push(prev);
    else if (c === ')') prev = stack.pop() ?? -1;
    else if (c === '.') prev = -1;
    else if ('-=#$:/\\'.includes(c)) bond = c;
    else if (c === '%' || (c >= '0' && c <= '9')) {
      const label = c === '%' ? s.slice(i + 1, i + 3) : c;
      if (c === '%') i += 2;
      const open = rings.get(label);
      if (open) {
        addBond(open.atom, prev, bond || open.symbol);
        rings.delete(label);
      } else rings.set(label, { atom: prev, symbol: bond });
      bond = '';
    }
    i++;
  }
  return out;
}
