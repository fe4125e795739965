// Local state (embedded PGlite files, generated secrets) is for this user's eyes only: its
// directory is mode 0700 and its secret files 0600, and a looser mode left by an older version
// or a umask is tightened.
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';

/** Creates `path` (and its parents) as 0700, or tightens it to 0700 if group or others may enter. */
export function privateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  tighten(path, 0o700);
}

/** Writes `text` to a file only its owner may read (mode 0600, also when it existed before). */
export function writePrivateFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  tighten(path, 0o600);
}

/** Sets `mode` on `path` if it grants group or others anything. */
export function tighten(path: string, mode: number): void {
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, mode);
}
