import type { Logger } from 'pino';

/** Per-request values set by the origin's middleware. */
export type AppEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    /** From the signed x-chorus-tenant header; '' when the request names no tenant. */
    tenantId: string;
    /** The acting member from the signed x-chorus-member header; null for anonymous. */
    memberId: bigint | null;
    /** The visitor's address from the signed x-chorus-client-ip header; '' when not given. */
    clientIp: string;
    /** The member's session (`<sid>.<version>`) from the signed x-chorus-session header; '' when not given. */
    session: string;
  };
};
