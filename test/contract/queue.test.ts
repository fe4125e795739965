import { describe, expect, it } from 'vitest';
import type { JobData } from '../../origin/store/queue/job-queue.js';
import { QUICK_RETRIES, queueAdapters } from './adapters.js';

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

describe.each(queueAdapters(QUICK_RETRIES))('job queue dead letters: $name', (adapter) => {
  it('a job that fails every attempt becomes a dead letter with its data and error, and runs again when replayed', async () => {
    const queue = await adapter.open();
    let healthy = false;
    const done: string[] = [];
    queue.process('doomed', async (data) => {
      if (!healthy) throw new Error(`shard for ${data.n} is down`);
      done.push(data.n!);
    });
    queue.process('fine', async (data) => void done.push(`fine${data.n}`));
    await queue.add('doomed', { n: '1' }, { jobId: 'doomed-1' });
    await queue.add('doomed', { n: '2' });
    await queue.add('fine', { n: '3' });
    await queue.idle(20_000);
    const dead = await queue.deadLetters();
    expect(dead.map((d) => d.data.n).sort()).toEqual(['1', '2']);
    expect(dead.every((d) => d.queue === 'doomed' && d.attempts === QUICK_RETRIES.attempts)).toBe(true);
    expect(dead[0]!.reason).toMatch(/shard for . is down/);
    expect(done).toEqual(['fine3']);

    healthy = true;
    const one = dead.find((d) => d.data.n === '1')!;
    expect(await queue.replayDeadLetters([{ queue: one.queue, id: one.id }])).toBe(1);
    await queue.idle(20_000);
    expect(done.sort()).toEqual(['1', 'fine3']);
    expect((await queue.deadLetters()).map((d) => d.data.n)).toEqual(['2']);
    expect(await queue.replayDeadLetters()).toBe(1);
    await queue.idle(20_000);
    expect(done.sort()).toEqual(['1', '2', 'fine3']);
    expect(await queue.deadLetters()).toEqual([]);
    await queue.close();
  });

  it('close lets a running job finish and starts no new one', async () => {
    const queue = await adapter.open();
    let finished = 0;
    let started = 0;
    queue.process(
      'slow',
      async () => {
        started++;
        await new Promise((r) => setTimeout(r, 300));
        finished++;
      },
      { concurrency: 1 },
    );
    await queue.add('slow', { n: '1' });
    await queue.add('slow', { n: '2' });
    while (started === 0) await new Promise((r) => setTimeout(r, 10));
    await queue.close();
    expect(finished).toBe(started);
  });
});
