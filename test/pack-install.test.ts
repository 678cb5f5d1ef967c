// The workspace packages as a user gets them: `npm pack` every package (from the dist/ that `npm test`
// builds first), check the tarball file lists, install the tarballs into two temporary projects and
// import every entry point of every `exports` map from plain ESM and from strict TypeScript.
//
// - "core": spectral, encodings, graphon only. TensorFlow.js is an optional peer of encodings, so it
//   must not be installed there, and the tfjs-free entries (encodings' root and ./batch) must load
//   without it; TypeScript checks them with skipLibCheck false.
// - "full": all packages. The CLI brings tfjs and its wasm backend; the native tfjs-node(-gpu) backends
//   (optional peers, whose install script downloads libtensorflow) must not be installed. TypeScript
//   checks these entries with skipLibCheck true: tfjs-layers' own typings fail a strict library check.
//
// Installs use `--prefer-offline --ignore-scripts`: the versions `npm ci` put in the npm cache are
// reused, and only package metadata not cached yet comes from the registry.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Every workspace package (the root package.json's `workspaces`, `packages/<name>`), so a new one is covered. */
const PACKAGES: readonly string[] = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }
).workspaces.map((w) => w.replace(/^packages\//, ''));
/** Packages whose entries, except those in {@link NEEDS_TFJS}, must work without TensorFlow.js. */
const CORE = ['spectral', 'encodings', 'graphon'] as const;
/** Entries that load TensorFlow.js. */
const NEEDS_TFJS = new Set(['@graphpe/encodings/learned']);
/** Time limits: packing and installing both projects, then each import or tsc run. */
const INSTALL_TIMEOUT = 300_000;
const STEP_TIMEOUT = 120_000;

interface PackageJson {
  name: string;
  version: string;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  exports: Record<string, Record<string, string>>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface PackResult {
  name: string;
  filename: string;
  files: { path: string }[];
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const manifest = (pkg: string): PackageJson => readJson(join(ROOT, 'packages', pkg, 'package.json'));
/** Import specifiers of a package's `exports` map. */
const entries = (m: PackageJson): string[] =>
  Object.keys(m.exports).map((k) => (k === '.' ? m.name : `${m.name}${k.slice(1)}`));

/** The environment without the npm_* variables of an enclosing `npm test` (workspace, prefix, ...). */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || keep.has(k)) env[k] = v;
  return env;
}

async function sh(cmd: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await exec(cmd, args, { cwd, env: cleanEnv(), maxBuffer: 64 << 20 });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${err.message}\n${err.stdout ?? ''}`);
  }
}

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** A temporary project depending on the given tarballs (and @types/node, for the TypeScript check). */
async function project(dir: string, tarballs: Record<string, string>): Promise<void> {
  mkdirSync(dir);
  const types = readJson<PackageJson>(join(ROOT, 'package.json')).devDependencies?.['@types/node'];
  const dependencies: Record<string, string> = { '@types/node': types ?? '*' };
  for (const [name, file] of Object.entries(tarballs)) dependencies[name] = `file:${file}`;
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'graphpe-pack-check', private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  await sh(NPM, ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
}

/** Imports each specifier in one Node process; resolves to {specifier: export count or error}. */
async function importAll(dir: string, specs: string[]): Promise<Record<string, number | string>> {
  const script = `
    const out = {};
    for (const s of ${JSON.stringify(specs)}) {
      try { out[s] = Object.keys(await import(s)).length; }
      catch (e) { out[s] = String(e?.code ?? '') + ': ' + String(e?.message ?? e).split('\\n')[0]; }
    }
    process.stdout.write(JSON.stringify(out));`;
  return JSON.parse(await sh(process.execPath, ['--input-type=module', '-e', script], dir));
}

/** Runs tsc --noEmit (strict, NodeNext) on a file importing every specifier. */
async function typecheck(dir: string, specs: string[], skipLibCheck: boolean): Promise<void> {
  const lines = specs.map((s, i) => `import * as m${i} from '${s}';`);
  lines.push(`export const modules: readonly object[] = [${specs.map((_, i) => `m${i}`).join(', ')}];`);
  writeFileSync(join(dir, 'check.ts'), `${lines.join('\n')}\n`);
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck,
    types: ['node'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.ts'] }));
  await sh(process.execPath, [TSC, '-p', dir], dir);
}

describe('packed workspace packages install and import', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'graphpe-pack-'));
  const packed = new Map<string, PackResult>();
  const manifests = new Map(PACKAGES.map((p) => [p, manifest(p)]));
  const core = join(tmp, 'core');
  const full = join(tmp, 'full');

  beforeAll(async () => {
    for (const p of PACKAGES) {
      if (!existsSync(join(ROOT, 'packages', p, 'dist', 'index.js')))
        throw new Error(`packages/${p}/dist is missing: run \`npx tsc -b\` before this test`);
    }
    const dest = join(tmp, 'tarballs');
    mkdirSync(dest);
    const out = await sh(
      NPM,
      ['pack', '--workspaces', '--ignore-scripts', '--json', '--pack-destination', dest],
      ROOT,
    );
    for (const r of JSON.parse(out) as PackResult[]) packed.set(r.name, r);
    const tarball = (p: string) => join(dest, packed.get(`@graphpe/${p}`)!.filename);
    const tarballs = (ps: readonly string[]) =>
      Object.fromEntries(ps.map((p) => [`@graphpe/${p}`, tarball(p)]));
    await Promise.all([project(core, tarballs(CORE)), project(full, tarballs(PACKAGES))]);
  }, INSTALL_TIMEOUT);

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('every workspace package is packed', () => {
    expect(PACKAGES).toEqual(
      expect.arrayContaining(['spectral', 'encodings', 'graphon', 'gnn', 'studies', 'cli']),
    );
    expect([...packed.keys()].sort()).toEqual(PACKAGES.map((p) => `@graphpe/${p}`).sort());
  });

  it.each(PACKAGES)('%s: tarball has LICENSE, README.md and dist/, no tsbuildinfo, no tests', (p) => {
    const files = packed.get(`@graphpe/${p}`)!.files.map((f) => f.path);
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files.filter((f) => f.startsWith('dist/')).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
    expect(
      files.filter((f) => /(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$/.test(f)),
    ).toEqual([]);
    expect(readFileSync(join(ROOT, 'packages', p, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
    );
  });

  it.each(PACKAGES)('%s: main, types, bin and every exports target are in the tarball', (p) => {
    const m = manifests.get(p)!;
    const files = new Set(packed.get(m.name)!.files.map((f) => f.path));
    const targets = [m.main, m.types, ...Object.values(m.bin ?? {})];
    for (const conditions of Object.values(m.exports)) targets.push(...Object.values(conditions));
    const missing = targets.filter((t) => t !== undefined && !files.has(t.replace(/^\.\//, '')));
    expect(missing).toEqual([]);
  });

  it.each(PACKAGES)('%s: @graphpe/* dependencies are caret ranges of the workspace version', (p) => {
    const deps = manifests.get(p)!.dependencies ?? {};
    for (const [name, range] of Object.entries(deps)) {
      if (name.startsWith('@graphpe/')) expect(range, name).toBe(`^${manifest(name.slice(9)).version}`);
    }
  });

  it(
    'core project: no TensorFlow.js installed; spectral, encodings (root, ./batch), graphon import',
    async () => {
      expect(existsSync(join(core, 'node_modules', '@tensorflow'))).toBe(false);
      const specs = CORE.flatMap((p) => entries(manifests.get(p)!));
      const got = await importAll(core, specs);
      for (const s of specs) {
        // the first line of the failure says what to install (not Node's bare ERR_MODULE_NOT_FOUND)
        if (NEEDS_TFJS.has(s))
          expect(got[s], s).toBe(
            `E_BACKEND: ${s} needs @tensorflow/tfjs (and @tensorflow/tfjs-backend-wasm): npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm`,
          );
        else expect(got[s], s).toBeGreaterThan(0);
      }
    },
    STEP_TIMEOUT,
  );

  it(
    'core project: strict TypeScript with skipLibCheck false accepts the tfjs-free entries',
    async () => {
      const specs = CORE.flatMap((p) => entries(manifests.get(p)!)).filter((s) => !NEEDS_TFJS.has(s));
      await typecheck(core, specs, false);
    },
    STEP_TIMEOUT,
  );

  it(
    'full project: tfjs and its wasm backend installed, tfjs-node(-gpu) not; every entry imports',
    async () => {
      const tf = join(full, 'node_modules', '@tensorflow');
      expect(existsSync(join(tf, 'tfjs', 'package.json'))).toBe(true);
      expect(existsSync(join(tf, 'tfjs-backend-wasm', 'package.json'))).toBe(true);
      expect(existsSync(join(tf, 'tfjs-node'))).toBe(false);
      expect(existsSync(join(tf, 'tfjs-node-gpu'))).toBe(false);
      const specs = PACKAGES.flatMap((p) => entries(manifests.get(p)!));
      const got = await importAll(full, specs);
      for (const s of specs) expect(got[s], s).toBeGreaterThan(0);
    },
    STEP_TIMEOUT,
  );

  it(
    'full project: strict TypeScript (skipLibCheck true) accepts every entry',
    async () => {
      await typecheck(
        full,
        PACKAGES.flatMap((p) => entries(manifests.get(p)!)),
        true,
      );
    },
    STEP_TIMEOUT,
  );

  it(
    'full project: the graphpe bin runs',
    async () => {
      const out = await sh(join(full, 'node_modules', '.bin', 'graphpe'), ['--version'], full);
      expect(out.trim()).toBe(manifests.get('cli')!.version);
    },
    STEP_TIMEOUT,
  );
});
