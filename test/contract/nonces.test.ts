import { describe, expect, it } from 'vitest';
import { nonceAdapters, uniqueTenant } from './adapters.js';

describe.each(nonceAdapters())('nonce store contract: $name', (adapter) => {
  it('accepts a nonce once within its lifetime and again after it expires', async () => {
    const store = await adapter.open();
    const nonce = uniqueTenant();
    expect(await store.claim(nonce, 200)).toBe(true);
    expect(await store.claim(nonce, 200)).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(await store.claim(nonce, 200)).toBe(true);
  });
});
