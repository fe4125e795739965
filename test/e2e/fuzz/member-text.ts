// "Basic-tier pages must stay well-formed XML whatever a member typed": every hostile character
// class in a post, a display name and a bio, sent to the origin directly (the edge's forms would
// check first), then the basic-tier pages that show them, older pages included. Whatever the
// origin refuses cannot show; whatever it accepts must render as XML.
import { expect } from 'vitest';
import type { Problem } from '../../../shared/api.js';
import { AWKWARD_TEXT, HOSTILE_CHARS, HOSTILE_STRINGS } from '../../support/fuzz/hostile.js';
import { signUp, type World } from '../../support/fuzz/world.js';
import { xmlProblem } from '../../support/fuzz/xml.js';
import type { Harness } from '../../support/origin-harness.js';
import { type EdgeSite, type FuzzVisitor, rawRequest, withToken } from './visitors.js';

const CANDIDATES = [
  ...HOSTILE_CHARS.map((c) => `x${c}y`),
  ...AWKWARD_TEXT,
  ...HOSTILE_STRINGS.filter((s) => s.trim().length > 0),
];

/** Characters and texts for names and bios. */
const PROFILE_TEXT = [...HOSTILE_CHARS, ...AWKWARD_TEXT];

/**
 * Which of PROFILE_TEXT the origin takes as a display name and as a bio: one change of both per
 * text, a 400 naming the fields it refused (anything else is a failure).
 */
async function accepted(h: Harness, member: string): Promise<{ displayName: string[]; bio: string[] }> {
  const out = { displayName: [] as string[], bio: [] as string[] };
  for (const text of PROFILE_TEXT) {
    const res = await h.call('PATCH', '/v1/members/me', { member, body: { displayName: `n${text}n`, bio: text } });
    const body = await res.text();
    expect([200, 400], `profile ${JSON.stringify(text)}: ${body}`).toContain(res.status);
    const refused = res.status === 200 ? [] : ((JSON.parse(body) as Problem).errors ?? []).map((e) => e.path);
    if (!refused.includes('displayName')) out.displayName.push(text);
    if (!refused.includes('bio')) out.bio.push(text);
  }
  return out;
}

/** Joins texts into values of at most `max` characters. */
function chunks(texts: string[], max: number): string[] {
  const out: string[] = [];
  for (const t of texts) {
    const last = out[out.length - 1];
    if (last !== undefined && last.length + t.length + 1 <= max) out[out.length - 1] = `${last} ${t}`;
    else out.push(t.slice(0, max));
  }
  return out;
}

/** A page and the older pages after it (by its "older" link), as the visitor reads them. */
async function pages(site: EdgeSite, visitor: FuzzVisitor, first: string, most = 40) {
  const out: { path: string; status: number; body: string }[] = [];
  let path: string | null = first;
  while (path && out.length < most) {
    const res = await rawRequest(site, visitor.device, 'GET', withToken(path, visitor.urlToken), {
      ...(visitor.cookie ? { cookie: visitor.cookie } : {}),
    });
    out.push({ path, status: res.status, body: res.body });
    const older = /href="([^"]*[?&](?:amp;)?older=[^"]*)"/.exec(res.body)?.[1];
    path = older ? older.replace(/&amp;/g, '&').replace(/([?&])s=[^&]*&?/, '$1') : null;
  }
  return out;
}

export async function checkMemberText(
  h: Harness,
  world: World,
  site: EdgeSite,
  member: FuzzVisitor,
  anonymous: FuzzVisitor,
): Promise<void> {
  const ann = world.a.members.ann!;
  const friend = world.a.members[member.member!]!;
  const posted: string[] = [];
  for (const [i, text] of CANDIDATES.entries()) {
    const marker = `m${i}k`;
    const res = await h.call('POST', '/v1/posts', {
      member: ann,
      body: { text: `${marker} ${text}`, audience: 'public' },
    });
    expect([201, 400], `post ${JSON.stringify(text)}: ${await res.clone().text()}`).toContain(res.status);
    if (res.status === 201) posted.push(marker);
  }
  // Names and bios: a probe finds what is taken, then a few members carry it all (names the
  // characters, bios everything: the longer texts are in the posts as well).
  const probe = await signUp(h, world.a.id, 'name_probe');
  const taken = await accepted(h, probe.id);
  const names = chunks(
    taken.displayName.filter((t) => (HOSTILE_CHARS as readonly string[]).includes(t)),
    60,
  );
  const bios = chunks(taken.bio, 300);
  const shown: string[] = [];
  for (let i = 0; i < Math.max(names.length, bios.length); i++) {
    const who = await signUp(h, world.a.id, `awk_${i}`);
    const body = { displayName: names[i] ?? `awk ${i}`, ...(bios[i] ? { bio: bios[i] } : {}) };
    expect((await h.call('PATCH', '/v1/members/me', { member: who.id, body })).status).toBe(200);
    expect((await h.call('POST', '/v1/friend-requests', { member: who.id, body: { to: friend } })).status).toBe(201);
    expect((await h.call('POST', `/v1/friend-requests/${who.id}/accept`, { member: friend })).status).toBe(200);
    const post = await h.call('POST', '/v1/posts', { member: who.id, body: { text: `awk ${i}`, audience: 'public' } });
    expect(post.status).toBe(201);
    shown.push(`awk_${i}`);
  }
  await h.settle();

  const read = [
    ...(await pages(site, member, '/home', 80)),
    ...(await pages(site, member, '/friends')),
    ...(await pages(site, member, '/notifications')),
    ...(await pages(site, anonymous, '/')),
    ...(await pages(site, anonymous, '/u/ann', 5)),
  ];
  for (const name of shown) read.push(...(await pages(site, anonymous, `/u/${name}`, 2)));
  for (const page of read) {
    expect(page.status, `${page.path}: ${page.body.slice(0, 300)}`).toBe(200);
    const problem = xmlProblem(page.body);
    expect(problem, `${page.path} is not well-formed XML`).toBeNull();
  }
  // The pages did show what was posted (an empty page would pass for a well-formed one).
  const home = read
    .filter((p) => p.path.startsWith('/home'))
    .map((p) => p.body)
    .join('\n');
  expect(
    posted.filter((m) => !home.includes(m)),
    'posts missing from the home pages',
  ).toEqual([]);
  expect(posted.length).toBeGreaterThan(CANDIDATES.length / 2);
  expect(names.length).toBeGreaterThan(0);
}
