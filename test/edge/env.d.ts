// Types for `import { env, exports } from 'cloudflare:workers'` in edge tests (mirrors edge/env.ts).
declare namespace Cloudflare {
  interface Env {
    ORIGIN_URL: string;
    ORIGIN_SECRET?: string;
    SESSION_SECRET?: string;
    ORIGIN_TIMEOUT_MS?: string;
  }
  interface GlobalProps {
    mainModule: typeof import('../../edge/worker.js');
  }
}
