// Header names the edge and the origin agree on. The origin trusts the identity headers only
// because they are covered by the request signature (see signing.ts).
export const HEADER = {
  requestId: 'x-request-id',
  tenant: 'x-chorus-tenant',
  member: 'x-chorus-member',
  timestamp: 'x-chorus-timestamp',
  signature: 'x-chorus-signature',
  session: 'x-chorus-session',
  clientIp: 'x-chorus-client-ip',
} as const;
