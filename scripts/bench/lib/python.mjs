// Find a Python interpreter that imports the given modules (the reference peers of the benchmarks).
// The first `python3` on PATH may lack them while the system one has them (or the other way round).
import { spawnSync } from 'node:child_process';

const CANDIDATES = [process.env.GRAPHPE_PYTHON, 'python3', '/usr/bin/python3', 'python'].filter(Boolean);

/** @returns {{ python: string } | { python: null, reason: string }} */
export function findPython(modules) {
  const tried = [];
  for (const py of CANDIDATES) {
    const r = spawnSync(py, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
    if (r.status === 0) return { python: py };
    tried.push(`${py}: ${r.error ? r.error.code : (r.stderr || '').trim().split('\n').pop()}`);
  }
  return { python: null, reason: `no Python imports ${modules.join(', ')} (${tried.join('; ')})` };
}

/**
 * The environment of a reference run: `threads` BLAS threads, and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
 * removed (some machines pin an older kernel through them for old OpenBLAS builds; they slow a current
 * numpy, so the baseline runs as a user's would, on the kernel OpenBLAS picks itself).
 */
export function referenceEnv(threads = 1) {
  const env = {
    ...process.env,
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Run a Python script with one BLAS thread and parse its JSON stdout. */
export function runPython(python, script, args, { threads = 1, timeoutMs = 600_000 } = {}) {
  const env = referenceEnv(threads);
  const r = spawnSync(python, [script, ...args], {
    encoding: 'utf8',
    env,
    timeout: timeoutMs,
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) {
    throw new Error(`${script} failed (${r.signal ?? r.status}): ${(r.stderr || '').slice(-2000)}`);
  }
  return JSON.parse(r.stdout);
}
