/**
 * The sale benchmark's baseline (issue 12): a page with no app code and no catalog, on a database
 * of its own with the same two stores and indexes as the app's `events` and `unsent`, writing the
 * same rows a sale writes (the event and its outbox row) in one strict readwrite transaction with
 * the bare IndexedDB API. Nothing here imports from src/.
 */
export {};

declare global {
  interface Window {
    perpetuaBare: typeof api;
  }
}

let db: IDBDatabase | null = null;
let seq = 0;

function open(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    // The app's schema for these two stores (src/db/db.ts): events by id with its four indexes,
    // unsent keyed by the device's sequence number.
    request.onupgradeneeded = () => {
      const events = request.result.createObjectStore('events', { keyPath: 'id' });
      events.createIndex('[deviceId+seq]', ['deviceId', 'seq']);
      events.createIndex('hlc', 'hlc');
      events.createIndex('kind', 'kind');
      events.createIndex('recordedAt', 'recordedAt');
      request.result.createObjectStore('unsent', { keyPath: 'seq' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

const api = {
  async open(name: string): Promise<void> {
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = () => resolve();
    });
    db = await open(name);
    seq = 0;
  },

  /** Writes `template` (an app sale, as recorded) as a new event with its outbox row; ms to commit. */
  write(template: Record<string, unknown>): Promise<number> {
    const database = db;
    if (!database) return Promise.reject(new Error('open() first'));
    return new Promise<number>((resolve, reject) => {
      const t = performance.now();
      seq += 1;
      const event = { ...template, id: crypto.randomUUID(), seq };
      const tx = database.transaction(['events', 'unsent'], 'readwrite', { durability: 'strict' });
      tx.objectStore('events').add(event);
      tx.objectStore('unsent').add({ seq, eventId: event.id, attempts: 0 });
      tx.oncomplete = () => resolve(performance.now() - t);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('bare transaction aborted'));
    });
  },

  close(): void {
    db?.close();
    db = null;
  },
};

window.perpetuaBare = api;
const status = document.getElementById('status');
if (status) status.dataset['ready'] = 'true';
