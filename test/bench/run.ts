// `npm run bench -- NAME`: runs test/bench/NAME.ts. Each benchmark prints its figures as one
// JSON object on its last line.
import { existsSync, readdirSync } from 'node:fs';

const name = process.argv[2];
const dir = new URL('./', import.meta.url);
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('support'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !existsSync(new URL(`${name}.ts`, dir))) {
  console.error(`usage: npm run bench -- NAME   (available: ${available.join(', ')})`);
  process.exit(2);
}
await import(new URL(`${name}.ts`, dir).href);
