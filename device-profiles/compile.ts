import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  Capabilities,
  type CompiledMatcher,
  type CompiledTable,
  DEVICE_CLASSES,
  type MatchRule,
  type ProfileEntry,
  ProfileFile,
  type ResolvedProfile,
  UNKNOWN_PROFILE_ID,
} from './schema.js';

// Compiles the profile data (device-profiles/**/*.json) into the table the edge worker bundles:
// load -> validate -> resolve inheritance -> order matchers -> write compiled.json.
// Run with `npm run build:profiles`; `tsx device-profiles/compile.ts <dir>` compiles another data
// directory (into <dir>/compiled.json), which tests use.

export const PROFILES_DIR = fileURLToPath(new URL('.', import.meta.url));
export const COMPILED_FILE = 'compiled.json';

/** Invalid profile data; `problems` lists every problem found, each naming its file and profile. */
export class ProfileDataError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid device profile data:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ProfileDataError';
  }
}

export interface SourceFile {
  /** Path relative to the profiles directory, used in messages. */
  path: string;
  data: unknown;
}

export interface SourcedEntry {
  file: string;
  /** Position in declaration order (files sorted by path), the last tie-breaker for matchers. */
  order: number;
  entry: ProfileEntry;
}

export interface ResolvedNode {
  profile: ResolvedProfile;
  /** Number of ancestors; deeper profiles are more specific and are tried first. */
  depth: number;
  priority: number;
  source: SourcedEntry;
}

/** Reads every data file under `dir` (recursively, sorted by path), skipping the compiled output. */
export function loadProfileFiles(dir: string = PROFILES_DIR): SourceFile[] {
  const paths = (readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => name.endsWith('.json') && name !== COMPILED_FILE)
    .map((name) => name.split('\\').join('/'))
    .sort();
  const problems: string[] = [];
  const files: SourceFile[] = [];
  for (const path of paths) {
    try {
      files.push({ path, data: JSON.parse(readFileSync(join(dir, path), 'utf8')) });
    } catch (error) {
      problems.push(`${path}: not valid JSON (${(error as Error).message})`);
    }
  }
  if (problems.length > 0) throw new ProfileDataError(problems);
  return files;
}

/** Checks each file against the schema and that ids are unique across files. */
export function validateProfileFiles(files: SourceFile[]): SourcedEntry[] {
  const problems: string[] = [];
  const entries: SourcedEntry[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const parsed = ProfileFile.safeParse(file.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`${file.path}: ${describePath(file.data, issue.path)}: ${issue.message}`);
      }
      continue;
    }
    for (const entry of parsed.data.profiles) {
      const previous = seen.get(entry.id);
      if (previous !== undefined) {
        problems.push(`${file.path}: profile "${entry.id}" is already defined in ${previous}`);
        continue;
      }
      seen.set(entry.id, file.path);
      entries.push({ file: file.path, order: entries.length, entry });
    }
  }
  if (problems.length > 0) throw new ProfileDataError(problems);
  return entries;
}

// "profiles[3].match[0].ua" reads better with the profile's id: "galaxy-s23 > match[0].ua".
function describePath(data: unknown, path: PropertyKey[]): string {
  const [first, index, ...rest] = path;
  const profiles = (data as { profiles?: unknown } | null)?.profiles;
  if (first === 'profiles' && typeof index === 'number' && Array.isArray(profiles)) {
    const id = (profiles[index] as { id?: unknown } | undefined)?.id;
    const name = typeof id === 'string' ? `profile "${id}"` : `profiles[${index}]`;
    return rest.length > 0 ? `${name} > ${formatPath(rest)}` : name;
  }
  return path.length > 0 ? formatPath(path) : '(file)';
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * Resolves inheritance: every parent exists, chains end at a class default without cycles, and the
 * merged profile has every capability. Class defaults (ids equal to the class names) and the
 * "unknown" profile must exist, because detection falls back to them.
 */
export function resolveProfiles(entries: SourcedEntry[]): ResolvedNode[] {
  const problems: string[] = [];
  const byId = new Map(entries.map((sourced) => [sourced.entry.id, sourced]));
  const classIds = new Set<string>(DEVICE_CLASSES);

  for (const id of [...DEVICE_CLASSES, UNKNOWN_PROFILE_ID]) {
    if (!byId.has(id)) problems.push(`missing required profile "${id}"`);
  }
  for (const { file, entry } of entries) {
    if (entry.parent === undefined && !classIds.has(entry.id)) {
      problems.push(`${file}: profile "${entry.id}" has no parent; only class defaults (${DEVICE_CLASSES}) may`);
    }
    if (entry.parent !== undefined && classIds.has(entry.id)) {
      problems.push(`${file}: class default "${entry.id}" must not have a parent`);
    }
    if (entry.parent !== undefined && !byId.has(entry.parent)) {
      problems.push(`${file}: profile "${entry.id}" has unknown parent "${entry.parent}"`);
    }
  }
  if (problems.length > 0) throw new ProfileDataError(problems);

  const resolved: ResolvedNode[] = [];
  for (const sourced of entries) {
    const chain = ancestry(sourced, byId);
    if (typeof chain === 'string') {
      problems.push(`${sourced.file}: ${chain}`);
      continue;
    }
    // Root first, so each descendant overrides what it inherits.
    const merged: Record<string, unknown> = {};
    let priority = 0;
    for (const { entry } of [...chain].reverse()) {
      const { id: _id, parent: _parent, description: _description, match: _match, priority: own, ...caps } = entry;
      Object.assign(merged, caps);
      if (own !== undefined) priority = own;
    }
    const capabilities = Capabilities.safeParse(merged);
    if (!capabilities.success) {
      for (const issue of capabilities.error.issues) {
        const field = issue.path.join('.') || '(profile)';
        problems.push(
          `${sourced.file}: profile "${sourced.entry.id}" resolves without a valid ${field}: ${issue.message}`,
        );
      }
      continue;
    }
    resolved.push({
      profile: { id: sourced.entry.id, ...capabilities.data },
      depth: chain.length - 1,
      priority,
      source: sourced,
    });
  }
  if (problems.length > 0) throw new ProfileDataError(problems);
  return resolved;
}

/** The entry followed by its ancestors, or a message when the chain loops. */
function ancestry(start: SourcedEntry, byId: Map<string, SourcedEntry>): SourcedEntry[] | string {
  const chain = [start];
  const visited = new Set([start.entry.id]);
  let current = start;
  while (current.entry.parent !== undefined) {
    const parent = byId.get(current.entry.parent);
    if (parent === undefined) return `profile "${current.entry.id}" has unknown parent "${current.entry.parent}"`;
    if (visited.has(parent.entry.id)) {
      return `profile "${start.entry.id}" has a parent cycle: ${[...chain.map((s) => s.entry.id), parent.entry.id].join(' -> ')}`;
    }
    visited.add(parent.entry.id);
    chain.push(parent);
    current = parent;
  }
  return chain;
}

/**
 * Builds the table the worker bundles. Matchers are ordered by priority (high first), then depth
 * (a device before its family), then declaration order, so detection takes the first that matches.
 */
export function buildTable(resolved: ResolvedNode[]): CompiledTable {
  const matchers: CompiledMatcher[] = resolved
    .filter((node) => node.source.entry.match !== undefined)
    .sort((a, b) => b.priority - a.priority || b.depth - a.depth || a.source.order - b.source.order)
    .map((node) => ({ profile: node.profile.id, rules: (node.source.entry.match ?? []).map(normaliseRule) }));
  const profiles = resolved.map((node) => node.profile);
  const parentOf = new Map(resolved.map((node) => [node.profile.id, node.source.entry.parent]));
  const lineage: Record<string, string[]> = {};
  for (const { id } of profiles) {
    const ancestors: string[] = [];
    // resolveProfiles has already rejected unknown parents and cycles.
    for (let parent = parentOf.get(id); parent !== undefined; parent = parentOf.get(parent)) ancestors.push(parent);
    lineage[id] = ancestors;
  }
  const version = createHash('sha256')
    .update(JSON.stringify({ profiles, matchers, lineage }))
    .digest('hex')
    .slice(0, 12);
  return { version, profiles, matchers, lineage };
}

// Lowercased once here so the worker compares without re-casing the data on every request.
function normaliseRule(rule: MatchRule): MatchRule {
  return {
    ...rule,
    ...(rule.uaContains && { uaContains: rule.uaContains.map((part) => part.toLowerCase()) }),
    ...(rule.vendor && { vendor: rule.vendor.toLowerCase() }),
    ...(rule.os && { os: rule.os.toLowerCase() }),
    ...(rule.browser && { browser: rule.browser.toLowerCase() }),
  };
}

/** load -> validate -> resolve -> build, for the CLI and for tests. */
export function compileProfiles(dir: string = PROFILES_DIR): CompiledTable {
  return buildTable(resolveProfiles(validateProfileFiles(loadProfileFiles(dir))));
}

/**
 * Writes `text` to `path` unless it already holds it, atomically (a temporary file renamed over
 * it). The build runs at every `wrangler dev` start (wrangler.toml [build]), sometimes several
 * at once: none may see half a file, and an unchanged table must not look like a change to the
 * others' file watchers.
 */
function writeIfChanged(path: string, text: string): boolean {
  try {
    if (readFileSync(path, 'utf8') === text) return false;
  } catch {
    // not there yet
  }
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  return true;
}

function main(dir: string): void {
  try {
    const table = compileProfiles(dir);
    const out = join(dir, COMPILED_FILE);
    const written = writeIfChanged(out, `${JSON.stringify(table)}\n`);
    console.log(
      `device profiles: ${table.profiles.length} profiles, ${table.matchers.length} matchers, version ${table.version} -> ${relative(process.cwd(), out)}${written ? '' : ' (unchanged)'}`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv[2] === undefined ? PROFILES_DIR : resolve(process.argv[2]));
}
