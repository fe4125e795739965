// The demo community created on first start, so a newcomer has something to look at.
import type { OriginContext } from '../context.js';
import { accept, sendRequest } from '../graph/friends.js';
import { createPost } from '../items/events.js';
import { idForUsername, signup } from '../members/members.js';
import { ensureTenant } from '../tenants/tenants.js';

export const DEMO_PASSWORD = 'chorus-demo';
export const DEMO_HOSTS = ['localhost', '127.0.0.1', 'demo.chorus.localhost'];

export async function seedDemo(ctx: OriginContext): Promise<{ created: boolean }> {
  const tenant = await ensureTenant(ctx, { id: 'demo', slug: 'demo', name: 'Chorus Demo', hosts: DEMO_HOSTS });
  if ((await idForUsername(ctx, tenant.id, 'ann')) !== null) return { created: false };
  const people = [
    ['ann', 'Ann Archer'],
    ['bob', 'Bob Baker'],
    ['cat', 'Cat Carter'],
    ['dan', 'Dan Dyer'],
  ] as const;
  const ids: Record<string, bigint> = {};
  for (const [username, displayName] of people) {
    const m = await signup(ctx, tenant, { username, displayName, password: DEMO_PASSWORD });
    ids[username] = BigInt(m.id);
  }
  for (const [a, b] of [
    ['ann', 'bob'],
    ['bob', 'cat'],
    ['ann', 'cat'],
  ] as const) {
    await sendRequest(ctx, tenant, ids[a]!, ids[b]!);
    await accept(ctx, tenant, ids[b]!, ids[a]!);
  }
  await sendRequest(ctx, tenant, ids.dan!, ids.ann!);
  const posts = [
    ['cat', 'public', 'Morning all! The bakery on the corner has fresh pretzels again.'],
    ['bob', 'friends', 'Anyone up for football on Saturday?'],
    ['ann', 'public', 'Welcome to Chorus: a small social network that works on any phone.'],
    ['dan', 'public', 'Just joined. Hello!'],
  ] as const;
  for (const [who, audience, text] of posts) await createPost(ctx, tenant, ids[who]!, { text, audience });
  return { created: true };
}
