// `npm run bench -- NAME`: runs test/bench/NAME.ts. Each benchmark prints its figures as one
// JSON object on its last line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

// Benches that run the edge worker, which bundles device-profiles/compiled.json: a build
// output, not in the repository, so a fresh clone has none until it is compiled.
const NEEDS_DEVICE_PROFILES = new Set(['edge', 'pageweight', 'load']);

const name = process.argv[2];
const dir = new URL('./', import.meta.url);
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('support') && !f.startsWith('hello-'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !available.includes(name) || !existsSync(new URL(`${name}.ts`, dir))) {
  console.error(`usage: npm run bench -- NAME   (available: ${available.join(', ')})`);
  process.exit(2);
}
if (NEEDS_DEVICE_PROFILES.has(name)) {
  const build = spawnSync('npm', ['run', '--silent', 'build:profiles'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('device profiles failed to compile');
    process.exit(build.status ?? 1);
  }
}
await import(new URL(`${name}.ts`, dir).href);
