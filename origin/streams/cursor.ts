// Stream cursors are opaque to clients: base64url of the tenant and the last id shown. Binding
// the tenant means a cursor from one community is rejected by another.
import { parseId } from '../../shared/ids.js';
import { badRequest } from '../http/problem.js';

export function encodeCursor(tenantId: string, olderThan: bigint): string {
  return Buffer.from(JSON.stringify({ t: tenantId, o: olderThan.toString() })).toString('base64url');
}

export function decodeCursor(tenantId: string, cursor: string | undefined): bigint | null {
  if (cursor === undefined || cursor === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('the paging cursor is malformed');
  }
  const { t, o } = (parsed ?? {}) as { t?: unknown; o?: unknown };
  if (typeof t !== 'string' || typeof o !== 'string') throw badRequest('the paging cursor is malformed');
  if (t !== tenantId) throw badRequest('the paging cursor belongs to another community');
  const id = parseId(o);
  if (id === null) throw badRequest('the paging cursor is malformed');
  return id;
}
