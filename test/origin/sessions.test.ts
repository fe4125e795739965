// Sessions the origin can end: a log-out ends that session for good (a copied cookie is worth
// nothing afterwards), log out everywhere / a new password / deletion end every one, and another
// origin process learns of it at once. Passwords are re-hashed at log-in when the cost rose.
import { randomBytes, scrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES, type SessionStart, sessionHeaderOf } from '../../shared/api.js';
import { type Harness, startHarness } from '../support/origin-harness.js';

let h: Harness;
let other: Harness;
beforeAll(async () => {
  h = await startHarness();
  // A second origin process on the same databases and Redis, serving the same tenant.
  other = await startHarness({ tenantId: h.tenantId, processors: false, relay: false });
});
afterAll(async () => {
  await other?.close();
  await h?.close();
});

async function signup(username: string, password = 'correct horse'): Promise<SessionStart> {
  const res = await h.call('POST', '/v1/members', { body: { username, displayName: username, password } });
  expect(res.status).toBe(201);
  return (await res.json()) as SessionStart;
}

async function login(username: string, password = 'correct horse'): Promise<SessionStart> {
  const res = await h.call('POST', '/v1/sessions', { body: { username, password } });
  expect(res.status).toBe(200);
  return (await res.json()) as SessionStart;
}

/** A member-only read with the session as the edge sends it, on either process. */
async function home(s: SessionStart, on: Harness = h): Promise<Response> {
  return on.call('GET', '/v1/streams/home', { member: s.id, session: sessionHeaderOf(s.session) });
}

async function expectEnded(res: Response) {
  expect(res.status).toBe(401);
  expect(((await res.json()) as { type: string }).type).toBe(PROBLEM_TYPES.sessionEnded);
}

/** The other process hears of an ended session over Redis pub/sub: within moments, not at once. */
async function expectEndedOnOther(s: SessionStart) {
  const deadline = Date.now() + 2000;
  let res = await home(s, other);
  while (res.status === 200 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    res = await home(s, other);
  }
  await expectEnded(res);
}

describe('sessions at the origin', () => {
  it('sign-up and log-in each begin a session of their own; a log-out ends only that one', async () => {
    const first = await signup('sess_ann');
    const second = await login('sess_ann');
    expect(first.session.id).not.toBe(second.session.id);
    expect((await home(first)).status).toBe(200);
    expect((await home(second)).status).toBe(200);

    const out = await h.call('DELETE', '/v1/sessions/current', {
      member: first.id,
      session: sessionHeaderOf(first.session),
    });
    expect(out.status).toBe(204);
    await expectEnded(await home(first));
    await expectEndedOnOther(first); // the other process heard of it
    expect((await home(second)).status).toBe(200);
  });

  it('log out everywhere ends every session; a new log-in works', async () => {
    const a = await signup('sess_bob');
    const b = await login('sess_bob');
    expect((await home(b, other)).status).toBe(200); // the other process has it cached now
    const out = await h.call('DELETE', '/v1/sessions', { member: a.id, session: sessionHeaderOf(a.session) });
    expect(out.status).toBe(204);
    await expectEnded(await home(a));
    await expectEnded(await home(b));
    await expectEndedOnOther(b);
    expect((await home(await login('sess_bob'))).status).toBe(200);
  });

  it('a password change needs the current password, ends the other sessions and keeps this device in', async () => {
    const a = await signup('sess_cat');
    const b = await login('sess_cat');
    const wrong = await h.call('PUT', '/v1/members/me/password', {
      member: a.id,
      session: sessionHeaderOf(a.session),
      body: { current: 'not my password', next: 'a new password' },
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('current');
    expect((await home(b)).status).toBe(200);

    const changed = await h.call('PUT', '/v1/members/me/password', {
      member: a.id,
      session: sessionHeaderOf(a.session),
      body: { current: 'correct horse', next: 'a new password' },
    });
    expect(changed.status).toBe(200);
    const { session } = (await changed.json()) as { session: SessionStart['session'] };
    expect((await home({ ...a, session })).status).toBe(200);
    await expectEnded(await home(a));
    await expectEndedOnOther(b);
    const oldPassword = await h.call('POST', '/v1/sessions', {
      body: { username: 'sess_cat', password: 'correct horse' },
    });
    expect(oldPassword.status).toBe(401);
    expect((await home(await login('sess_cat', 'a new password'))).status).toBe(200);
  });

  it('deleting the account ends its sessions; restoring begins a new one', async () => {
    const a = await signup('sess_dan');
    const del = await h.call('DELETE', '/v1/members/me', { member: a.id, session: sessionHeaderOf(a.session) });
    expect(del.status).toBe(204);
    await expectEnded(await home(a));
    const restored = await h.call('POST', '/v1/members/restore', {
      body: { username: 'sess_dan', password: 'correct horse' },
    });
    expect(restored.status).toBe(200);
    const r = (await restored.json()) as SessionStart;
    expect((await home(r)).status).toBe(200);
    await expectEnded(await home(a));
  });

  it('a malformed session value, or one of another version, is not a session', async () => {
    const a = await signup('sess_eve');
    for (const session of ['nonsense', `${a.session.id}.${a.session.version + 1}`, `${a.session.id}.0`]) {
      await expectEnded(await h.call('GET', '/v1/streams/home', { member: a.id, session }));
    }
  });

  it('a refused signature says so in its problem type (the edge must not log the member out for it)', async () => {
    const res = await h.app.request('/v1/streams/public');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { type: string }).type).toBe(PROBLEM_TYPES.signature);
  });
});

describe('password hashes', () => {
  it('a hash made at an older, lower cost is replaced at the next log-in, and the password still works', async () => {
    const a = await signup('sess_old');
    // What the origin stored before its cost rose: N=2^14, r=8, p=1.
    const salt = randomBytes(16);
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt('correct horse', salt, 32, { N: 16384, r: 8, p: 1 }, (err, k) => (err ? reject(err) : resolve(k))),
    );
    const oldHash = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    const db = h.runtime.ctx.cluster.router.forMember(a.id);
    await db.rows('UPDATE members SET password_hash = $3 WHERE tenant_id = $1 AND id = $2', [
      h.tenantId,
      a.id,
      oldHash,
    ]);
    await login('sess_old');
    const [row] = await db.rows<{ password_hash: string }>(
      'SELECT password_hash FROM members WHERE tenant_id = $1 AND id = $2',
      [h.tenantId, a.id],
    );
    expect(row!.password_hash).toMatch(/^scrypt\$16384\$8\$5\$/);
    await login('sess_old');
  });
});
