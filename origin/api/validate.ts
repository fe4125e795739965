// zod validation for route inputs; failures become 400 problem+json with one message per field.
import { zValidator } from '@hono/zod-validator';
import type { Context } from 'hono';
import type { z } from 'zod';
import type { OriginContext } from '../context.js';
import type { AppEnv } from '../http/app-env.js';
import { unauthorized, zodProblem } from '../http/problem.js';
import { requireTenant } from '../tenants/tenants.js';

export const json = <T extends z.ZodType>(schema: T) =>
  zValidator('json', schema, (result) => {
    if (!result.success) throw zodProblem(result.error);
  });

export const query = <T extends z.ZodType>(schema: T) =>
  zValidator('query', schema, (result) => {
    if (!result.success) throw zodProblem(result.error);
  });

export function requireMember(c: Context<AppEnv>): bigint {
  const id = c.get('memberId');
  if (id === null) throw unauthorized('log in first');
  return id;
}

export function tenantOf(ctx: OriginContext, c: Context<AppEnv>) {
  return requireTenant(ctx, c.get('tenantId'));
}
