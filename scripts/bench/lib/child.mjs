// Run one benchmark child process (`node <script> --child …`, one tfjs backend per process) and read the
// JSON object it prints last; a crash (e.g. wasm's heap exhausted) becomes { error } with the telling line.
import { spawnSync } from 'node:child_process';

/** @returns {{ out: any } | { error: string }} */
export function runJsonChild(script, args) {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const last = (r.stdout || '').trim().split('\n').pop();
  if (r.status !== 0 || !last) {
    const err = (r.stderr || '')
      .split('\n')
      .filter((l) => /Error|Aborted/.test(l))
      .slice(-1)[0];
    return { error: (err ?? `exit ${r.signal ?? r.status}`).trim().slice(0, 120) };
  }
  return { out: JSON.parse(last) };
}
