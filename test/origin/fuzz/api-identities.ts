// Who signs a fuzzed request: the world's members with their sessions (and without, as internal
// callers sign), nobody, and strangers: another tenant's member, a deleted or unknown member, an
// ended or malformed session, an unknown tenant, ids that are not ids.
import fc from 'fast-check';
import type { Actor, World } from '../../support/fuzz/world.js';

export interface Identity {
  label: string;
  tenant: string;
  member: string;
  /** x-chorus-session as the edge sends it; '' as internal callers do. */
  session: string;
  /** Signs as someone who is not a live member of the tenant: may never act as one. */
  stranger?: boolean;
}

/**
 * Who signs: members (with their session, and without one as internal callers), nobody, another
 * tenant's member, a deleted or unknown member, an ended or malformed session, junk ids.
 */
export function identities(world: World, actors: World['actors']): Identity[] {
  const { member, friend, other } = actors;
  const a = member.tenant;
  const as = (label: string, x: Actor, extra: Partial<Identity> = {}): Identity => ({
    label,
    tenant: x.tenant,
    member: x.id,
    session: x.session,
    ...extra,
  });
  const [sid, version] = member.session.split('.');
  return [
    as('member', member),
    as('friend', friend),
    as('member without a session', member, { session: '' }),
    as('member of tenant b', other),
    { label: 'anonymous', tenant: a, member: '', session: '' },
    as('other tenant member', other, { tenant: a, stranger: true }),
    as('deleted member', world.deleted, { stranger: true }),
    as('ended session', member, { session: `${sid}.${Number(version) + 7}`, stranger: true }),
    as('malformed session', member, { session: 'nonsense', stranger: true }),
    as('unknown tenant', member, { tenant: 'tnobody', stranger: true }),
    { label: 'unknown member', tenant: a, member: world.unknownIds[0]!, session: `${sid}.1`, stranger: true },
    { label: 'no tenant', tenant: '', member: '', session: '' },
    { label: 'malformed member', tenant: a, member: '-1', session: '' },
    { label: 'huge member', tenant: a, member: '1e400', session: '' },
  ];
}

/** Members most of the time (their requests get furthest), each stranger now and then. */
export function whoSigns(all: Identity[]): fc.Arbitrary<Identity> {
  const [member, friend, ...others] = all;
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(member!) },
    { weight: 2, arbitrary: fc.constant(friend!) },
    { weight: 3, arbitrary: fc.constantFrom(...others) },
  );
}
