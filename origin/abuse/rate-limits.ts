// The origin's rate limits: sign-ups, log-ins, posts, friend requests, every write and the
// expensive reads (search, hashtag and place streams), per visitor IP (as the edge saw it:
// CF-Connecting-IP, signed), member, account or tenant. Counted in Redis (sliding-window.ts) so
// every origin process and edge isolate shares one count; while Redis is away each process counts
// alone. Over a limit: 429 problem+json with Retry-After, and nothing done. Limits are settings
// (RATE_LIMIT_*, `N/period` or `off`); the defaults follow Mastodon's and Discourse's.
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config.js';
import type { OriginContext } from '../context.js';
import type { AppEnv } from '../http/app-env.js';
import { tooManyRequests } from '../http/problem.js';
import type { DependencyHealth } from '../store/dependency-health.js';
import { MemorySlidingWindow, type SlidingWindow, type WindowDecision } from './sliding-window.js';

export const RULES = {
  signupIp: 'RATE_LIMIT_SIGNUP_IP',
  signupTenant: 'RATE_LIMIT_SIGNUP_TENANT',
  loginIp: 'RATE_LIMIT_LOGIN_IP',
  loginAccount: 'RATE_LIMIT_LOGIN_ACCOUNT',
  postsMember: 'RATE_LIMIT_POSTS_MEMBER',
  friendRequestsMember: 'RATE_LIMIT_FRIEND_REQUESTS_MEMBER',
  writesIp: 'RATE_LIMIT_WRITES_IP',
  expensiveReadsIp: 'RATE_LIMIT_EXPENSIVE_READS_IP',
} as const satisfies Record<string, keyof Config>;
export type Rule = keyof typeof RULES;

const MESSAGES: Record<Rule, string> = {
  signupIp: 'too many sign-ups from your address',
  signupTenant: 'too many sign-ups in this community right now',
  loginIp: 'too many log-in attempts from your address',
  loginAccount: 'too many log-in attempts for this account',
  postsMember: 'you are posting too often',
  friendRequestsMember: 'you are sending too many friend requests',
  writesIp: 'too many changes from your address',
  expensiveReadsIp: 'too many searches from your address',
};

/** Shared counts in Redis, this process's own while Redis does not answer. */
export class RateWindows implements SlidingWindow {
  private readonly local = new MemorySlidingWindow();

  constructor(
    private readonly shared: SlidingWindow | null,
    private readonly health: DependencyHealth,
  ) {}

  hit(key: string, limit: number, windowMs: number): Promise<WindowDecision> {
    const shared = this.shared;
    if (!shared) return this.local.hit(key, limit, windowMs);
    return this.health.call(
      'rate-limit',
      () => shared.hit(key, limit, windowMs),
      () => this.local.hit(key, limit, windowMs),
    );
  }
}

/**
 * Counts one hit against each rule for its subject (an IP, member, account or tenant; an empty
 * subject is not counted: a request from inside without an IP) and refuses with 429 when any is
 * over. Every hit is counted, refused ones too: hammering on keeps the window full.
 */
export async function enforce(
  ctx: Pick<OriginContext, 'config' | 'rateWindows'>,
  tenantId: string,
  checks: [Rule, string][],
): Promise<void> {
  for (const [rule, subject] of checks) {
    const setting = ctx.config[RULES[rule]];
    if (!setting || subject === '') continue;
    const decision = await ctx.rateWindows.hit(`${tenantId}:${rule}:${subject}`, setting.limit, setting.windowMs);
    if (!decision.allowed) throw tooManyRequests(MESSAGES[rule], decision.retryAfterSeconds);
  }
}

/** Every write (anything but GET and HEAD) by the visitor's IP. */
export function limitWrites(ctx: OriginContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD')
      await enforce(ctx, c.get('tenantId'), [['writesIp', c.get('clientIp')]]);
    await next();
  };
}

/** Reads that cost every shard a query (search, hashtag and place streams), by the visitor's IP. */
export function limitExpensiveReads(ctx: OriginContext): MiddlewareHandler<AppEnv> {
  return async (c: Context<AppEnv>, next) => {
    if (c.req.method === 'GET') await enforce(ctx, c.get('tenantId'), [['expensiveReadsIp', c.get('clientIp')]]);
    await next();
  };
}
