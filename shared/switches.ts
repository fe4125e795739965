// "Design to disable": every feature has a switch, per tenant, flipped at run time.
import { z } from 'zod';

export const SWITCH_NAMES = ['signup', 'posting', 'friending', 'publicPages'] as const;
export type SwitchName = (typeof SWITCH_NAMES)[number];

export const Switches = z.object({
  signup: z.boolean(),
  posting: z.boolean(),
  friending: z.boolean(),
  publicPages: z.boolean(),
});
export type Switches = z.infer<typeof Switches>;

export const DEFAULT_SWITCHES: Switches = { signup: true, posting: true, friending: true, publicPages: true };
