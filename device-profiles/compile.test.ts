import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildTable,
  compileProfiles,
  loadProfileFiles,
  ProfileDataError,
  resolveProfiles,
  type SourceFile,
  validateProfileFiles,
} from './compile.js';
import { CAPABILITY_KEYS, DEVICE_CLASSES } from './schema.js';

const FULL_CAPABILITIES = {
  tier: 'rich',
  screenWidth: 390,
  screenHeight: 844,
  maxImageWidth: 1080,
  imageFormats: ['jpeg'],
  maxPageBytes: 100000,
  cookies: true,
  js: true,
  cssLevel: 3,
  input: 'touch',
  accessKeys: false,
  telLinks: true,
};

/** A minimal valid data set (six class defaults and "unknown") plus the given extra profiles. */
function dataSet(...extra: object[]): SourceFile[] {
  return [
    {
      path: 'classes.json',
      data: {
        profiles: [
          ...DEVICE_CLASSES.map((id) => ({ id, class: id, ...FULL_CAPABILITIES })),
          { id: 'unknown', parent: 'smartphone' },
        ],
      },
    },
    ...(extra.length > 0 ? [{ path: 'families/test.json', data: { profiles: extra } }] : []),
  ];
}

function compile(files: SourceFile[]) {
  return buildTable(resolveProfiles(validateProfileFiles(files)));
}

function problemsOf(files: SourceFile[]): string[] {
  try {
    compile(files);
  } catch (error) {
    if (error instanceof ProfileDataError) return error.problems;
    throw error;
  }
  throw new Error('expected the data to be rejected');
}

describe('the real profile data', () => {
  const files = loadProfileFiles();
  const entries = validateProfileFiles(files);
  const resolved = resolveProfiles(entries);
  const table = buildTable(resolved);

  it('compiles, with a profile per entry', () => {
    expect(table.profiles.length).toBe(entries.length);
    expect(table.profiles.length).toBeGreaterThanOrEqual(300);
    expect(table.version).toMatch(/^[0-9a-f]{12}$/);
    expect(compileProfiles()).toEqual(table);
  });

  it('resolves every profile with every capability', () => {
    for (const profile of table.profiles) {
      for (const key of CAPABILITY_KEYS) expect(profile[key], `${profile.id}.${key}`).not.toBeUndefined();
    }
  });

  it('has parent chains that end at a class default', () => {
    const byId = new Map(entries.map(({ entry }) => [entry.id, entry]));
    for (const { entry } of entries) {
      let current = entry;
      for (let steps = 0; current.parent !== undefined; steps++) {
        expect(steps, `chain of ${entry.id}`).toBeLessThan(entries.length);
        const parent = byId.get(current.parent);
        expect(parent, `parent of ${current.id}`).toBeDefined();
        current = parent!;
      }
      expect(DEVICE_CLASSES as readonly string[]).toContain(current.id);
    }
  });

  it('lists only differences from the parent', () => {
    const byId = new Map(table.profiles.map((profile) => [profile.id, profile]));
    for (const { entry, file } of entries) {
      if (entry.parent === undefined) continue;
      const parent = byId.get(entry.parent)!;
      for (const key of CAPABILITY_KEYS) {
        if (entry[key] === undefined) continue;
        expect(entry[key], `${file}: ${entry.id}.${key} repeats its parent`).not.toEqual(parent[key]);
      }
    }
  });

  it('points every matcher at a profile, bots first and devices before their family', () => {
    const ids = new Set(table.profiles.map((profile) => profile.id));
    for (const matcher of table.matchers) expect(ids).toContain(matcher.profile);
    const position = (id: string) => table.matchers.findIndex((matcher) => matcher.profile === id);
    expect(position('googlebot')).toBeLessThan(position('samsung-feature'));
    expect(position('nokia-6300')).toBeLessThan(position('nokia-s40'));
    expect(position('galaxy-s24-ultra')).toBeLessThan(position('galaxy'));
    expect(position('galaxy')).toBeLessThan(position('android-phone'));
    expect(position('opera-mini')).toBeLessThan(position('midp'));
    expect(position('googlebot-smartphone')).toBeLessThan(position('googlebot'));
    expect(position('redmi-note-10-pro')).toBeLessThan(position('xiaomi'));
    expect(position('xiaomi')).toBeLessThan(position('android-phone'));
  });

  it("records every profile's ancestors, nearest first, ending at its class default", () => {
    for (const profile of table.profiles) {
      const ancestors = table.lineage[profile.id];
      expect(ancestors, profile.id).toBeDefined();
      if ((DEVICE_CLASSES as readonly string[]).includes(profile.id)) expect(ancestors).toEqual([]);
      else expect(DEVICE_CLASSES as readonly string[]).toContain(ancestors!.at(-1));
    }
    expect(table.lineage['galaxy-s24-ultra']).toEqual(['galaxy-s23-ultra', 'galaxy-s23', 'galaxy', 'smartphone']);
  });

  it('covers the device range the edge promises', () => {
    const ids = new Set(table.profiles.map((profile) => profile.id));
    const count = (prefix: string) => [...ids].filter((id) => id.startsWith(prefix)).length;
    expect(count('iphone-')).toBeGreaterThanOrEqual(30);
    expect(count('ipad-')).toBeGreaterThanOrEqual(15);
    expect(count('galaxy-')).toBeGreaterThanOrEqual(60);
    expect(count('pixel-')).toBeGreaterThanOrEqual(20);
    expect(table.profiles.filter((profile) => profile.class === 'feature').length).toBeGreaterThanOrEqual(100);
    expect(table.profiles.filter((profile) => profile.class === 'bot').length).toBeGreaterThanOrEqual(40);
    expect(table.profiles.filter((profile) => profile.class === 'tv').length).toBeGreaterThanOrEqual(20);
    // iPhone models are not told apart by the UA: reachable by id (overrides, tests) only.
    expect(table.profiles.find((profile) => profile.id === 'iphone-15-pro')).toMatchObject({
      screenWidth: 393,
      screenHeight: 852,
    });
  });
});

describe('validation', () => {
  it('accepts the minimal data set and inherits capabilities', () => {
    const table = compile(dataSet({ id: 'small', parent: 'feature', screenWidth: 128, match: [{ ua: 'Small' }] }));
    const small = table.profiles.find((profile) => profile.id === 'small');
    expect(small).toMatchObject({ class: 'feature', screenWidth: 128, screenHeight: 844 });
    expect(table.matchers).toEqual([{ profile: 'small', rules: [{ ua: 'Small' }] }]);
  });

  it('lowercases names in match rules', () => {
    const table = compile(dataSet({ id: 'x', parent: 'smartphone', match: [{ os: 'iOS', uaContains: ['KaiOS'] }] }));
    expect(table.matchers[0]?.rules[0]).toEqual({ os: 'ios', uaContains: ['kaios'] });
  });

  it('rejects an unknown parent', () => {
    expect(problemsOf(dataSet({ id: 'orphan', parent: 'nope' }))).toEqual([
      'families/test.json: profile "orphan" has unknown parent "nope"',
    ]);
  });

  it('rejects a parent cycle', () => {
    const problems = problemsOf(dataSet({ id: 'a', parent: 'b' }, { id: 'b', parent: 'a' }));
    expect(problems.join('\n')).toMatch(/parent cycle: a -> b -> a/);
  });

  it('rejects a profile without a parent that is not a class default', () => {
    expect(problemsOf(dataSet({ id: 'floating', screenWidth: 100 })).join('\n')).toMatch(/"floating" has no parent/);
  });

  it('rejects a class default missing a capability', () => {
    const files = dataSet();
    const classes = (files[0]!.data as { profiles: Record<string, unknown>[] }).profiles;
    delete classes[0]!.maxPageBytes;
    expect(problemsOf(files).join('\n')).toMatch(/"smartphone" resolves without a valid maxPageBytes/);
  });

  it('rejects a missing class default', () => {
    const files = dataSet();
    const data = files[0]!.data as { profiles: { id: string }[] };
    data.profiles = data.profiles.filter((profile) => profile.id !== 'tv');
    expect(problemsOf(files)).toContain('missing required profile "tv"');
  });

  it('rejects typos, bad values and bad regexes, naming the profile', () => {
    const problems = problemsOf(
      dataSet({ id: 'typo', parent: 'feature', screenwidth: 100, tier: 'fancy', match: [{ ua: '(' }, {}] }),
    ).join('\n');
    expect(problems).toMatch(/families\/test\.json: profile "typo".*screenwidth/);
    expect(problems).toMatch(/profile "typo" > tier/);
    expect(problems).toMatch(/profile "typo" > match\[0\]\.ua: not a valid regular expression/);
    expect(problems).toMatch(/profile "typo" > match\[1\]: a match rule needs at least one condition/);
  });

  it('rejects duplicate ids across files', () => {
    const files = [
      ...dataSet(),
      { path: 'families/again.json', data: { profiles: [{ id: 'tv', parent: 'smartphone' }] } },
    ];
    expect(problemsOf(files)).toEqual(['families/again.json: profile "tv" is already defined in classes.json']);
  });

  it('reports invalid JSON files by path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
    cleanup.push(dir);
    writeFileSync(join(dir, 'broken.json'), '{ "profiles": [');
    writeFileSync(join(dir, 'compiled.json'), 'ignored: the compiler output is never read as input');
    expect(() => loadProfileFiles(dir)).toThrow(/broken\.json: not valid JSON/);
  });
});

describe('the command line', () => {
  const script = fileURLToPath(new URL('./compile.ts', import.meta.url));
  const run = (dir: string) => spawnSync(process.execPath, ['--import', 'tsx', script, dir], { encoding: 'utf8' });

  function tempDir(files: SourceFile[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
    cleanup.push(dir);
    for (const [index, file] of files.entries()) writeFileSync(join(dir, `${index}.json`), JSON.stringify(file.data));
    return dir;
  }

  it('writes the compiled table', () => {
    const dir = tempDir(dataSet({ id: 'small', parent: 'feature', match: [{ ua: 'Small' }] }));
    const result = run(dir);
    expect(result.status, result.stderr).toBe(0);
    const table = JSON.parse(readFileSync(join(dir, 'compiled.json'), 'utf8'));
    expect(table.profiles).toHaveLength(8);
  });

  it('exits non-zero with the problems on invalid data, writing nothing', () => {
    const dir = tempDir(dataSet({ id: 'orphan', parent: 'nope' }));
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('profile "orphan" has unknown parent "nope"');
    expect(existsSync(join(dir, 'compiled.json'))).toBe(false);
  });
});

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});
