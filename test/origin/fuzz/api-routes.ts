// Which /v1 routes there are, taken from the app itself (Hono's route table), and what each one
// takes, taken from the OpenAPI document the app serves: path parameters, query parameters and
// the JSON Schema of its body. A route the app has but the document lacks, or a path parameter
// no generator knows, fails the suite: a new route is fuzzed from the day it is added.

/** A JSON Schema as z.toJSONSchema writes it (only what the generators read). */
export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  description?: string;
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export interface ApiRoute {
  method: string;
  /** As Hono spells it: /v1/members/:id */
  path: string;
  params: string[];
  query: string[];
  body: JsonSchema | null;
  /** The document says it acts as the signed member (x-chorus-member). */
  auth: boolean;
}

interface OpenApiOperation {
  description?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

/** Routes under /v1 the document does not describe, with why, and what they take. */
const UNDOCUMENTED: Record<string, Omit<ApiRoute, 'method' | 'path' | 'params'>> = {
  // The document itself.
  'GET /v1/openapi.json': { query: [], body: null, auth: false },
};

export function apiRoutes(
  appRoutes: readonly { method: string; path: string }[],
  document: OpenApiDocument,
): { routes: ApiRoute[]; missing: string[] } {
  const documented = new Map<string, OpenApiOperation>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      documented.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, op as OpenApiOperation);
    }
  }
  const routes: ApiRoute[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const r of appRoutes) {
    // Middleware shows up as ALL; each handler may be listed once per middleware in front of it.
    if (r.method === 'ALL' || !r.path.startsWith('/v1/')) continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const op = documented.get(key);
    const extra = UNDOCUMENTED[key];
    if (!op && !extra) {
      missing.push(`${key}: not in the OpenAPI document (origin/api/openapi.ts)`);
      continue;
    }
    routes.push({
      method: r.method,
      path: r.path,
      params,
      query: extra ? extra.query : (op!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      body: extra ? extra.body : (op!.requestBody?.content['application/json']?.schema ?? null),
      auth: extra ? extra.auth : (op!.description ?? '').includes('x-chorus-member'),
    });
  }
  return { routes, missing };
}
