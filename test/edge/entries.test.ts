// Stream entries of every event type, in both tiers, from the one shared view model
// (edge/ui/entries.ts): the sentence, the links (people, hashtags, places, external URLs), the
// photo in the rendition the device gets, and escaping of everything members wrote.
import { describe, expect, it } from 'vitest';
import { StreamList as BasicStreamList } from '../../edge/ui/basic/components.js';
import type { Chrome } from '../../edge/ui/chrome.js';
import { actorsPhrase, describeEntry, type Inline, linkHashtags } from '../../edge/ui/entries.js';
import type { ImageCaps } from '../../edge/ui/images.js';
import { StreamList as RichStreamList } from '../../edge/ui/rich/components.js';
import type { Member, StreamEntry } from '../../shared/api.js';
import { EVENT_TYPES } from '../../shared/events.js';
import { entriesOfEveryType } from './all-types.js';

const person = (n: number, name: string): Member => ({
  id: String(100_000_000_000_000n + BigInt(n)),
  username: name.toLowerCase(),
  displayName: name,
  bio: '',
  createdAt: '2026-03-01T10:00:00.000Z',
});
const ANN = person(1, 'Ann');
const BOB = person(2, 'Bob');
const CY = person(3, 'Cy');
const DEE = person(4, 'Dee');

const SMARTPHONE: ImageCaps = { maxWidth: 1080, formats: ['avif', 'webp', 'jpeg', 'png', 'gif'] };
const FEATURE: ImageCaps = { maxWidth: 240, formats: ['jpeg', 'png', 'gif'] };

const chrome = (images: ImageCaps, viewerId: string | null = null, lean = false) => ({ images, viewerId, lean });

/** The sentence as plain text. */
const plain = (parts: Inline[]) => parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
const sentence = (entry: StreamEntry, viewerId: string | null = null) =>
  plain(describeEntry(entry, chrome(SMARTPHONE, viewerId)).headline);

async function html(tier: 'rich' | 'basic', entries: StreamEntry[], c: Pick<Chrome, 'images' | 'viewerId' | 'lean'>) {
  const List = tier === 'rich' ? RichStreamList : BasicStreamList;
  return String(await List({ entries, olderHref: null, chrome: c }).toString());
}

const ALL = entriesOfEveryType(ANN, BOB);
const byType = (type: StreamEntry['type']) => ALL.find((e) => e.type === type)!;

describe('the sentence of every event type', () => {
  it('covers all 16 types', () => {
    expect(ALL.map((e) => e.type)).toEqual([...EVENT_TYPES]);
    expect(EVENT_TYPES).toHaveLength(16);
  });

  it.each([
    ['status', 'Ann'],
    ['photo', 'Ann posted a photo'],
    ['album', 'Ann added an album'],
    ['comment', "Ann commented on Bob's photo"],
    ['like', "Ann and 3 others liked Bob's post"],
    ['friendship', 'Ann and Bob are now friends'],
    ['profile-update', 'Ann updated their profile'],
    ['profile-photo', 'Ann changed their profile photo'],
    ['group-join', 'Ann joined the group Riverside Gardeners'],
    ['blog-post', 'Ann wrote a blog post'],
    ['video', 'Ann shared a video'],
    ['link', 'Ann shared a link'],
    ['game-score', 'Ann scored 1,200 in Tetris'],
    ['ecard', 'Ann sent Bob an e-card'],
    ['birthday', "It's Ann's birthday"],
    ['checkin', 'Ann checked in at Café Luna'],
  ] as const)('%s: "%s"', (type, expected) => {
    expect(sentence(byType(type))).toBe(expected);
  });

  it('speaks to the viewer about their own things, and says "their own" for the actor\'s', () => {
    expect(sentence(byType('like'), BOB.id)).toBe('Ann and 3 others liked your post');
    expect(sentence(byType('ecard'), BOB.id)).toBe('Ann sent you an e-card');
    expect(sentence(byType('friendship'), BOB.id)).toBe('Ann and you are now friends');
    const selfLike = {
      ...byType('like'),
      others: [],
      actorCount: 1,
      object: { ...byType('like').object!, actor: ANN },
    };
    expect(sentence(selfLike)).toBe('Ann liked their own post');
  });

  it('still says something when the details are missing (the viewer may not see the item)', () => {
    const bare = (type: StreamEntry['type']) =>
      sentence({ ...byType(type), object: null, target: null, game: null, group: null, place: null });
    expect(bare('like')).toBe('Ann and 3 others liked a post');
    expect(bare('comment')).toBe('Ann commented');
    expect(bare('ecard')).toBe('Ann sent an e-card');
    expect(bare('friendship')).toBe('Ann made a new friend');
    expect(bare('game-score')).toBe('Ann played a game');
    expect(bare('group-join')).toBe('Ann joined a group');
    expect(bare('checkin')).toBe('Ann checked in');
  });
});

describe('aggregation', () => {
  const phrase = (others: Member[], count: number) => plain(actorsPhrase(ANN, others, count));

  it('names up to three actors and counts the rest', () => {
    expect(phrase([], 1)).toBe('Ann');
    expect(phrase([BOB], 2)).toBe('Ann and Bob');
    expect(phrase([BOB, CY], 3)).toBe('Ann, Bob and Cy');
    expect(phrase([BOB, CY, DEE], 4)).toBe('Ann and 3 others');
    expect(phrase([BOB], 2_000)).toBe('Ann and 1999 others');
    expect(phrase([], 2)).toBe('Ann and 1 other');
    // actorCount never says fewer people than are listed.
    expect(phrase([BOB, CY], 1)).toBe('Ann, Bob and Cy');
  });

  it('"Ann and 3 others liked Bob\'s post" in both tiers, with the liked text quoted', async () => {
    const like = byType('like');
    for (const tier of ['rich', 'basic'] as const) {
      const out = await html(tier, [like], chrome(SMARTPHONE));
      expect(out, tier).toMatch(
        /<a href="\/u\/ann">Ann<\/a> and 3 others liked <a href="\/u\/bob">Bob<\/a>&#39;s post/,
      );
      expect(out, tier).toContain(': “About”');
    }
  });
});

describe('rendering in both tiers', () => {
  it.each(['rich', 'basic'] as const)('%s: every type shows its sentence and details', async (tier) => {
    const out = await html(tier, ALL, chrome(SMARTPHONE));
    // Actors and targets link to their profiles.
    expect(out).toContain('href="/u/ann"');
    expect(out).toContain('href="/u/bob"');
    // Hashtags in text link to their tag page; places to theirs.
    expect(out).toContain('<a href="/tags/garden">#garden</a>');
    expect(out).toContain('<a href="/places/caf%C3%A9-luna">Café Luna</a>');
    // Links, videos and blog posts: title linked to the URL, marked as user content.
    expect(out).toContain(
      '<a href="https://example.org/seeds?year=2026&amp;region=north" rel="nofollow ugc noreferrer noopener">',
    );
    expect(out).toContain('Seed swap calendar</a>');
    expect(out).toContain('How we built the raised beds');
    expect(out).toContain('Harvest day');
    expect(out).toContain('scored 1,200 in Tetris');
    // The album's title, unlinked.
    expect(out).toContain('Summer at the lake');
    // Photos (photo, album, profile photo, video thumbnail, e-card) in the smartphone's rendition.
    expect(out.match(/<img /g)).toHaveLength(5);
    expect(out).toContain('src="https://img.chorus.test/photo-1080.webp"');
    expect(out).not.toContain('.avif'); // 2048 px: wider than the phone takes
  });

  it('gives a feature phone small JPEGs, with their width', async () => {
    const out = await html('basic', [byType('photo')], chrome(FEATURE, null, true));
    expect(out).toContain(
      '<img src="https://img.chorus.test/photo-160.jpeg" alt="photo text #garden" width="160" referrerpolicy="no-referrer"/>',
    );
  });

  it('says there is a photo when the device can show none of its renditions', async () => {
    const webpOnly: StreamEntry = {
      ...byType('photo'),
      text: 'Sunset',
      images: [{ url: 'https://img.chorus.test/x.webp', width: 160, format: 'webp' }],
    };
    for (const tier of ['rich', 'basic'] as const) {
      const out = await html(tier, [webpOnly], chrome(FEATURE));
      expect(out, tier).not.toContain('<img');
      expect(out, tier).toContain('[Photo: Sunset]');
    }
  });

  it('escapes everything members wrote, and never links a URL that is not http(s)', async () => {
    const nasty: StreamEntry = {
      ...byType('link'),
      actor: { ...ANN, displayName: '<b>Ann</b>', username: 'ann"x' },
      text: '<script>alert(1)</script> & #tag"><img src=x>',
      title: '<i>title</i>',
      url: 'javascript:alert(1)',
      tags: ['tag', 'hidden<tag>'],
    };
    const checkin: StreamEntry = { ...byType('checkin'), place: '"><script>x</script>' };
    for (const tier of ['rich', 'basic'] as const) {
      const out = await html(tier, [nasty, checkin], chrome(SMARTPHONE));
      expect(out, tier).not.toMatch(/<script|<b>Ann|<i>title|<img src=x/);
      expect(out, tier).not.toContain('javascript:');
      expect(out, tier).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; ');
      expect(out, tier).toContain('<a href="/tags/tag">#tag</a>&quot;&gt;');
      expect(out, tier).toContain('href="/u/ann%22x"');
      expect(out, tier).toContain('href="/tags/hidden%3Ctag%3E"');
      expect(out, tier).toContain('href="/places/script-x-script"');
    }
  });

  it('leaves secondary details out when lean', async () => {
    const rich = await html('rich', ALL, chrome(SMARTPHONE, null, true));
    expect(rich).not.toContain(' · Public');
    const roomy = await html('rich', ALL, chrome(SMARTPHONE));
    expect(roomy).toContain(' · Public');
  });
});

describe('hashtags in text', () => {
  it('links #words like the origin finds them, not inside words or entities', () => {
    const parts = linkHashtags('Picnic #Summer_2026 at #café, not mail#box nor &#39; but (#x)');
    expect(parts).toEqual([
      'Picnic ',
      { text: '#Summer_2026', href: '/tags/summer_2026' },
      ' at ',
      { text: '#café', href: '/tags/caf%C3%A9' },
      ', not mail#box nor &#39; but (',
      { text: '#x', href: '/tags/x' },
      ')',
    ]);
    expect(linkHashtags('#start')).toEqual([{ text: '#start', href: '/tags/start' }]);
    expect(linkHashtags('no tags')).toEqual(['no tags']);
  });
});
