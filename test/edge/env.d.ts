// Types for `import { env, exports } from 'cloudflare:workers'` in edge tests.
declare namespace Cloudflare {
  interface Env extends import('../../edge/env.js').Bindings {}
  interface GlobalProps {
    mainModule: typeof import('../../edge/worker.js');
  }
}
