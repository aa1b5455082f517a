/** The words of the notice shown after a start restored data from the backup copy (src/db/journal.ts). */
import { describe, expect, it } from 'vitest';
import { restoredText } from '../../src/db/journal.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';

const event = (kind: string) => ({ kind }) as LedgerEvent;

describe('the restored notice', () => {
  it('counts the sales and the other changes, and names the identity', () => {
    const text = restoredText({ identity: true, events: [event('sale'), event('sale'), event('stock-adjusted')] });
    expect(text).toContain('2 sales and 1 other change not yet synced, and this device\'s identity and pairing.');
    expect(text).toContain('Nothing to do: they sync with the server as usual.');
  });

  it('says only what came back', () => {
    expect(restoredText({ identity: false, events: [event('sale')] })).toContain('backup copy kept on this device: 1 sale not yet synced.');
    expect(restoredText({ identity: true, events: [] })).toContain("this device's identity and pairing. Nothing to do: the device syncs as usual.");
  });
});
