// One seed per fuzz run, printed at the start so any failure can be replayed: FUZZ_SEED=<n>
// reruns exactly the same requests (on a fresh world). FUZZ_RUNS scales how many requests each
// route gets; FUZZ_SHRINK=1 lets fast-check shrink a failing case (slow: every try is a real
// request against the databases, so it is off by default and the failure names the request).
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';

function readSeed(): number {
  const given = process.env.FUZZ_SEED;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isSafeInteger(n)) throw new Error(`FUZZ_SEED must be an integer, got "${given}"`);
    return n | 0;
  }
  return (Math.random() * 0x7fffffff) | 0;
}

export const FUZZ_SEED = readSeed();

/** Runs per property: `base` scaled by FUZZ_RUNS (a factor, default 1). */
export function fuzzRuns(base: number): number {
  const factor = Number(process.env.FUZZ_RUNS ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(factor) && factor > 0 ? factor : 1)));
}

export function announceSeed(suite: string): void {
  console.log(`[fuzz] ${suite}: FUZZ_SEED=${FUZZ_SEED} (set it to replay this run)`);
}

const OUTPUT = new URL('../../output/fuzz/', import.meta.url);

/**
 * A failed check inside a property, naming what reproduces it. The message shows the request
 * with long strings cut; the whole request goes to test/output/fuzz/ for a regression test.
 */
export class FuzzFailure extends Error {
  constructor(suite: string, what: string, request: unknown, problem: string) {
    const file = new URL(`${suite}-${FUZZ_SEED}-${Date.now()}.json`, OUTPUT);
    try {
      mkdirSync(OUTPUT, { recursive: true });
      writeFileSync(file, `${JSON.stringify({ seed: FUZZ_SEED, what, request, problem }, null, 2)}\n`);
    } catch {
      // the message still names the seed
    }
    super(
      `[fuzz ${suite}] FUZZ_SEED=${FUZZ_SEED} ${what}\n  request: ${show(request)}\n  ${problem}\n  (whole request: ${file.pathname})`,
    );
  }
}

/**
 * Runs an async property with the run's seed. Each property gets its own seed derived from the
 * run's seed and its name, so adding a route does not change the requests other routes get.
 */
export async function fuzz<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  check: (value: T) => Promise<void>,
): Promise<void> {
  const seed = (FUZZ_SEED ^ hash(name)) | 0;
  const details = await fc.check(fc.asyncProperty(arbitrary, check), {
    seed,
    numRuns,
    endOnFailure: process.env.FUZZ_SHRINK !== '1',
  });
  if (!details.failed) return;
  // Our own error names the seed and the request (cut short); fast-check's would print the whole
  // counterexample, 100 KB strings included.
  const err = details.errorInstance;
  if (err instanceof FuzzFailure) throw err;
  throw new Error(
    `[fuzz] FUZZ_SEED=${FUZZ_SEED} ${name}: ${err instanceof Error ? err.message : String(err)}\n  input: ${show(details.counterexample)}`,
  );
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** A request written out exactly: JSON.stringify shows control characters and lone surrogates as escapes. */
export function show(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) =>
    typeof v === 'string' && v.length > 300 ? `${v.slice(0, 80)}…(${v.length} chars)` : v,
  );
  return text ?? String(value);
}
