// Signed requests to an origin running as a process, as the edge sends them (shared/signing.ts).
import { randomUUID } from 'node:crypto';
import { signedHeaders } from '../../shared/signing.js';

export interface SignedCall {
  member?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export function signedClient(baseUrl: string, secret: string, tenant: string) {
  return async (method: string, path: string, o: SignedCall = {}): Promise<Response> => {
    const body = o.body === undefined ? '' : JSON.stringify(o.body);
    const headers = await signedHeaders(secret, {
      method,
      pathWithQuery: path,
      body,
      tenant,
      member: o.member ?? '',
      requestId: randomUUID(),
    });
    return fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}), ...o.headers },
      body: body || undefined,
      signal: AbortSignal.timeout(20_000),
    });
  };
}
