import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import type { Plugin } from 'vite';
import { defineProject } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

// ua-parser-js 1.x is a UMD file. Wrangler's bundler (esbuild) exposes its `UAParser` named
// export, but the pool's CommonJS shim only finds the static properties, so
// `import { UAParser } from 'ua-parser-js'` would be undefined in tests. This shim re-exports
// module.exports under that name, in tests only; the deployed bundle is untouched.
const UA_PARSER_SHIM = '\0ua-parser-js-shim';
function uaParserNamedExport(): Plugin {
  return {
    name: 'chorus:ua-parser-named-export',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id === 'ua-parser-js' && importer !== UA_PARSER_SHIM) return UA_PARSER_SHIM;
      return null;
    },
    load(id) {
      if (id !== UA_PARSER_SHIM) return null;
      const file = `${root}node_modules/ua-parser-js/src/ua-parser.js`;
      return `import UAParser from ${JSON.stringify(file)};\nexport { UAParser };\nexport default UAParser;\n`;
    },
  };
}

// Edge code runs inside workerd (the Workers runtime), with the worker from wrangler.toml and
// test secrets; the origin is a fake that tests install over `fetch` (see fake-origin.ts).
export default defineProject({
  plugins: [
    uaParserNamedExport(),
    cloudflareTest({
      main: './edge/worker.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: { bindings: { ORIGIN_SECRET: 'test-secret', SESSION_SECRET: 'test-session' } },
    }),
  ],
  test: {
    name: 'edge',
    root,
    include: ['edge/**/*.test.ts', 'test/edge/**/*.test.ts'],
    testTimeout: 15_000,
  },
});
