// Home: the member's own and their friends' updates, newest first, with a form to post.

import type { z } from 'zod';
import {
  HomePage,
  type Member,
  NotificationPage,
  PostAudience,
  PostInput,
  Profile,
  type StreamEntry,
  type Tenant,
} from '../../../shared/api.js';
import type { EventType } from '../../../shared/events.js';
import { publicStreamFragment, withoutMembers } from '../../cache/fragments.js';
import { type FieldErrors, originFieldErrors, zodFieldErrors } from '../../forms/field-errors.js';
import type { FormFields } from '../../forms/read-form.js';
import type { OriginClient } from '../../origin-client/origin-client.js';
import { MAX_LIST_ENTRIES } from '../../ui/budget.js';
import { olderHref } from '../../ui/format.js';
import { typesParam } from '../../ui/type-filter.js';

export type PostAudienceValue = z.infer<typeof PostAudience>;

export interface PostDraft {
  text: string;
  audience: PostAudienceValue;
}

/** The audiences a member can pick when posting, in menu order. */
export const AUDIENCE_CHOICES: { value: PostAudienceValue; label: string }[] = [
  { value: 'friends', label: 'Friends' },
  { value: 'public', label: 'Everyone' },
  { value: 'only_me', label: 'Only me' },
];

export interface HomeModel {
  me: Member;
  postingOpen: boolean;
  draft: PostDraft;
  errors: FieldErrors;
  entries: StreamEntry[];
  olderHref: string | null;
  /** True on later pages (older=...): the post form only shows on the first page. */
  paged: boolean;
  /**
   * The latest public posts of the community: a shared fragment, cached once for every member
   * (edge/cache/fragments.ts), composed into this otherwise personal page, without the members
   * this one blocked, was blocked by or muted. Optional: empty when the fragment cannot be had
   * or the origin did not say whom to hide, and left out of tight page budgets.
   */
  community: StreamEntry[];
  /** The type filter in use (`/home?types=photo`), or null for everything. */
  types: string | null;
  /** Notifications not seen yet (the badge); 0 when unknown. */
  unseenNotifications: number;
}

/** Public posts shown beside the home stream. */
export const COMMUNITY_ENTRIES = 3;
/** Public posts read for them: some may be by members this viewer does not see. */
const COMMUNITY_FRAGMENT_ENTRIES = 10;

export const EMPTY_DRAFT: PostDraft = { text: '', audience: 'friends' };

export async function buildHomeModel(
  origin: OriginClient,
  tenant: Tenant,
  memberId: string,
  older?: string,
  draft: PostDraft = EMPTY_DRAFT,
  errors: FieldErrors = {},
  limit = MAX_LIST_ENTRIES,
  types: readonly EventType[] | null = null,
): Promise<HomeModel> {
  const filter = typesParam(types) ?? null;
  const [profile, page, community, unseenNotifications] = await Promise.all([
    origin.get(`/v1/members/${memberId}`, Profile),
    origin.get('/v1/streams/home', HomePage, { older, limit, types: filter }),
    older
      ? Promise.resolve([])
      : publicStreamFragment(origin, tenant.id, undefined, COMMUNITY_FRAGMENT_ENTRIES).then(
          (p) => p.entries,
          () => [],
        ),
    // The badge is a nicety: without it (origin trouble) the page still shows.
    older
      ? Promise.resolve(0)
      : origin.get('/v1/notifications', NotificationPage, { limit: 1 }).then(
          (p) => p.unseen,
          () => 0,
        ),
  ]);
  return {
    me: profile.member,
    postingOpen: tenant.switches.posting,
    draft,
    errors,
    entries: page.entries,
    olderHref: olderHref('/home', page.older, { types: filter }),
    paged: Boolean(older),
    // Fails closed: without the viewer's hidden members, no community box.
    community: page.hidden ? withoutMembers(community, new Set(page.hidden)).slice(0, COMMUNITY_ENTRIES) : [],
    types: filter,
    unseenNotifications,
  };
}

export type PostOutcome = { ok: true } | { ok: false; draft: PostDraft; errors: FieldErrors };

export async function submitPost(origin: OriginClient, form: FormFields): Promise<PostOutcome> {
  const draft: PostDraft = {
    text: (form.text ?? '').slice(0, 5000),
    audience: PostAudience.catch('friends').parse(form.audience),
  };
  const input = PostInput.safeParse(draft);
  if (!input.success) return { ok: false, draft, errors: zodFieldErrors(input.error) };
  try {
    await origin.post('/v1/posts', input.data);
    return { ok: true };
  } catch (err) {
    const errors = originFieldErrors(err);
    if (errors) return { ok: false, draft, errors };
    throw err;
  }
}
