import { describe, expect, it } from 'vitest';
import type { JobData } from '../../origin/store/queue/job-queue.js';
import { queueAdapters } from './adapters.js';

describe.each(queueAdapters())('job queue contract: $name', (adapter) => {
  it('runs every job with its data', async () => {
    const queue = await adapter.open();
    const seen: JobData[] = [];
    queue.process('echo', async (data) => {
      seen.push(data);
    });
    for (let i = 0; i < 5; i++) await queue.add('echo', { n: String(i) });
    await queue.idle();
    expect(seen.map((d) => d.n).sort()).toEqual(['0', '1', '2', '3', '4']);
    await queue.close();
  });

  it('drops a second job with the same id while the first is known', async () => {
    const queue = await adapter.open();
    let runs = 0;
    await queue.add('once', { x: '1' }, { jobId: 'same-id' });
    await queue.add('once', { x: '2' }, { jobId: 'same-id' });
    queue.process('once', async () => {
      runs++;
    });
    await queue.idle();
    expect(runs).toBe(1);
    await queue.close();
  });

  it('drops a second job with the same dedupe key while the first is pending, not once it has run', async () => {
    const queue = await adapter.open();
    const seen: string[] = [];
    await queue.add('pending-once', { n: '1' }, { dedupeKey: 'key' });
    await queue.add('pending-once', { n: '2' }, { dedupeKey: 'key' });
    queue.process('pending-once', async (data) => void seen.push(data.n!));
    await queue.idle();
    await queue.add('pending-once', { n: '3' }, { dedupeKey: 'key' });
    await queue.idle();
    expect(seen).toEqual(['1', '3']);
    await queue.close();
  });

  it('adds jobs of several names in bulk, deduplicating by id like single adds', async () => {
    const queue = await adapter.open();
    const seen: string[] = [];
    queue.process('bulk-a', async (data) => void seen.push(`a${data.n}`));
    queue.process('bulk-b', async (data) => void seen.push(`b${data.n}`));
    await queue.addBulk([
      { name: 'bulk-a', data: { n: '1' }, opts: { jobId: 'bulk-1' } },
      { name: 'bulk-b', data: { n: '2' } },
      { name: 'bulk-a', data: { n: '3' } },
    ]);
    await queue.addBulk([{ name: 'bulk-a', data: { n: '9' }, opts: { jobId: 'bulk-1' } }]);
    await queue.idle();
    expect(seen.sort()).toEqual(['a1', 'a3', 'b2']);
    await queue.close();
  });

  it('retries a failing job until it succeeds', async () => {
    const queue = await adapter.open();
    let attempts = 0;
    queue.process('flaky', async () => {
      attempts++;
      if (attempts < 3) throw new Error('transient');
    });
    await queue.add('flaky', {});
    await queue.idle(20_000);
    expect(attempts).toBe(3);
    expect((await queue.counts()).failed).toBe(0);
    await queue.close();
  });
});
