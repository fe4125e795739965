// Front page: the community's name and its public stream, for anonymous visitors.
import type { StreamEntry, Tenant } from '../../../shared/api.js';
import { publicStreamFragment } from '../../cache/fragments.js';
import type { OriginClient } from '../../origin-client/origin-client.js';
import { MAX_LIST_ENTRIES } from '../../ui/budget.js';
import { olderHref } from '../../ui/format.js';

export interface FrontModel {
  tenantName: string;
  /** False when the tenant has switched public pages off: only the log-in links show. */
  publicPages: boolean;
  signupOpen: boolean;
  entries: StreamEntry[];
  olderHref: string | null;
}

/** `limit`: how many public updates to show (the page budget decides, see ui/budget.ts). */
export async function buildFrontModel(
  origin: OriginClient,
  tenant: Tenant,
  older?: string,
  limit = MAX_LIST_ENTRIES,
): Promise<FrontModel> {
  const base = {
    tenantName: tenant.name,
    publicPages: tenant.switches.publicPages,
    signupOpen: tenant.switches.signup,
  };
  if (!tenant.switches.publicPages) return { ...base, entries: [], olderHref: null };
  const page = await publicStreamFragment(origin, tenant.id, older, limit);
  return { ...base, entries: page.entries, olderHref: olderHref('/', page.older) };
}
