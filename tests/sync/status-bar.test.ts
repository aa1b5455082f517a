/**
 * The honest status bar (issue 13): "Online" only when the server answered recently; "Server
 * unreachable" with the waiting count and the next try when it did not; and the stored facts
 * behind it, written by a real sync against an unreachable and then a real server.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ANSWERED_RECENTLY_MS, describeSyncBar, formatWait, readSyncStatus, SYNC_STALE_MS, type SyncStatus } from '../../src/sync/status.ts';
import { startSyncScheduler, syncOnce } from '../../src/sync/index.ts';
import { enroll, startTestServer } from '../server/harness.ts';
import { createTestDevice, queueOfflineSales } from './device.ts';
import { freePort } from './server-process.ts';

const NOW = Date.parse('2026-03-02T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const paired: SyncStatus = { pending: 0, rejected: 0, lastSyncAt: null, lastSyncError: null, enrolled: true };

describe('describeSyncBar', () => {
  it('never paired: says what to do, whatever else is stored', () => {
    const view = describeSyncBar({ ...paired, enrolled: false, pending: 2, nextRetryAt: iso(NOW + 5000) }, { online: true, nowMs: NOW });
    expect(view).toMatchObject({ connection: 'unpaired', label: 'Not paired: pair this device in Settings', pendingLabel: '2 waiting to send', retryLabel: null });
  });

  it('no network: offline, even if the server answered a moment ago', () => {
    const view = describeSyncBar({ ...paired, lastAnsweredAt: iso(NOW - 1000) }, { online: false, nowMs: NOW });
    expect(view).toMatchObject({ connection: 'offline', label: 'Offline: sales are saved on this device' });
  });

  it('online only while the server answered within ANSWERED_RECENTLY_MS', () => {
    const fresh = describeSyncBar({ ...paired, lastAnsweredAt: iso(NOW - ANSWERED_RECENTLY_MS + 1) }, { online: true, nowMs: NOW });
    expect(fresh).toMatchObject({ connection: 'online', label: 'Online', pendingLabel: 'All synced', retryLabel: null });
    const stale = describeSyncBar({ ...paired, lastAnsweredAt: iso(NOW - ANSWERED_RECENTLY_MS) }, { online: true, nowMs: NOW });
    expect(stale).toMatchObject({ connection: 'checking', label: 'Checking the server…' });
    // A device that synced before lastAnsweredAt existed: its last sync counts as an answer.
    expect(describeSyncBar({ ...paired, lastSyncAt: iso(NOW - 5000) }, { online: true, nowMs: NOW }).connection).toBe('online');
  });

  it('server unreachable as soon as an attempt goes unanswered, with the waiting count and the next try', () => {
    const status: SyncStatus = {
      ...paired,
      pending: 3,
      lastAnsweredAt: iso(NOW - 10_000),
      lastUnansweredAt: iso(NOW - 2000),
      nextRetryAt: iso(NOW + 39_200),
    };
    expect(describeSyncBar(status, { online: true, nowMs: NOW })).toMatchObject({
      connection: 'unreachable',
      label: 'Server unreachable',
      pendingLabel: '3 waiting to send',
      retryLabel: 'next try in 40 s',
      syncing: false,
    });
    expect(describeSyncBar(status, { online: true, nowMs: NOW + 39_000 }).retryLabel).toBe('next try now');
    // The server answers again: online, and no countdown.
    const back = describeSyncBar({ ...status, lastAnsweredAt: iso(NOW + 40_000), pending: 0, nextRetryAt: null }, { online: true, nowMs: NOW + 40_500 });
    expect(back).toMatchObject({ connection: 'online', pendingLabel: 'All synced', retryLabel: null });
  });

  it('syncing while a sync runs, not once it is stale; the countdown hides meanwhile', () => {
    const status: SyncStatus = { ...paired, lastUnansweredAt: iso(NOW - 1000), nextRetryAt: iso(NOW + 1000), syncingSince: iso(NOW - 500) };
    expect(describeSyncBar(status, { online: true, nowMs: NOW })).toMatchObject({ syncing: true, retryLabel: null });
    expect(describeSyncBar(status, { online: true, nowMs: NOW + SYNC_STALE_MS })).toMatchObject({ syncing: false });
  });

  it('says each state in a word or two for a phone’s one line, beside the full sentence', () => {
    const view = (status: Partial<SyncStatus>, online = true) => {
      const { shortLabel, pendingShortLabel } = describeSyncBar({ ...paired, ...status }, { online, nowMs: NOW });
      return [shortLabel, pendingShortLabel];
    };
    expect(view({ lastAnsweredAt: iso(NOW - 1000) }, false)).toEqual(['Offline', 'Synced']);
    expect(view({ enrolled: false, pending: 2 })).toEqual(['Not paired', '2 to send']);
    expect(view({ pending: 3, lastAnsweredAt: iso(NOW - 10_000), lastUnansweredAt: iso(NOW - 2000) })).toEqual(['Unreachable', '3 to send']);
    expect(view({ lastAnsweredAt: iso(NOW - 1000) })).toEqual(['Online', 'Synced']);
    expect(view({ lastAnsweredAt: iso(NOW - ANSWERED_RECENTLY_MS) })).toEqual(['Checking…', 'Synced']);
  });

  it('formats waits in seconds, then minutes', () => {
    expect([formatWait(0), formatWait(999), formatWait(1000), formatWait(40_000), formatWait(89_000), formatWait(180_000)]).toEqual([
      'now',
      'now',
      'in 1 s',
      'in 40 s',
      'in 89 s',
      'in 3 min',
    ]);
  });
});

describe('what a sync stores for the status bar', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('an unanswered sync records it and the scheduler’s next try; a sync that gets through clears the try', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'perpetua-status-'));
    dirs.push(dataDir);
    const server = await startTestServer({ dataDir, demo: false });
    const owner = await enroll(server.url, server.setupCode ?? '', 'Till', 'dev-till');
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const device = await createTestDevice({ deviceId: owner.deviceId, storeId: owner.storeId, token: owner.token, serverUrl: nowhere });
    try {
      await queueOfflineSales(device, 2);
      const failures: number[] = [];
      const failed = new Promise<void>((resolve) => {
        const scheduler = startSyncScheduler(device.db, {
          broadcast: false,
          timeoutMs: 500,
          backoff: { baseMs: 60_000, maxMs: 60_000 },
          random: () => 0.5,
          events: new EventTarget(),
          onAttempt: (outcome) => {
            if (!outcome.ok) failures.push(outcome.retryInMs);
            scheduler.stop();
            resolve();
          },
        });
      });
      const before = Date.now();
      await failed;
      await expect.poll(async () => (await readSyncStatus(device.db)).nextRetryAt).not.toBeNull();
      const status = await readSyncStatus(device.db);
      expect(failures).toEqual([30_000]);
      expect(Date.parse(status.nextRetryAt ?? '')).toBeGreaterThanOrEqual(before + 30_000);
      expect(status).toMatchObject({ pending: 2, lastAnsweredAt: null, syncingSince: null });
      expect(status.lastUnansweredAt).not.toBeNull();
      expect(describeSyncBar(status, { online: true, nowMs: Date.now() })).toMatchObject({ connection: 'unreachable', pendingLabel: '2 waiting to send', retryLabel: expect.stringMatching(/^next try in (29|30) s$/) });

      // The right address: the server answers, the bar goes back to online.
      await device.db.meta.put({ key: 'serverUrl', value: server.url });
      const synced = new Promise<void>((resolve) => {
        const scheduler = startSyncScheduler(device.db, {
          broadcast: false,
          events: new EventTarget(),
          onAttempt: (outcome) => {
            expect(outcome.ok).toBe(true);
            scheduler.stop();
            resolve();
          },
        });
      });
      await synced;
      await expect.poll(async () => (await readSyncStatus(device.db)).nextRetryAt).toBeNull();
      const after = await readSyncStatus(device.db);
      expect(after).toMatchObject({ pending: 0, lastSyncError: null, syncingSince: null });
      expect(describeSyncBar(after, { online: true, nowMs: Date.now() })).toMatchObject({ connection: 'online', pendingLabel: 'All synced', retryLabel: null });
      // A refusal is an answer too: the server is there, even if it says no.
      await device.db.meta.put({ key: 'deviceToken', value: 'pdt_revoked' });
      await expect(syncOnce(device.db, { broadcast: false })).rejects.toThrow();
      const refused = await readSyncStatus(device.db);
      expect(describeSyncBar(refused, { online: true, nowMs: Date.now() }).connection).toBe('online');
      expect(refused.lastSyncError).toContain('Pair it again');
    } finally {
      device.close();
      await server.close();
    }
  });
});
