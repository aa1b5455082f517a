/**
 * The sale benchmark's baseline (issue 12): a page with no app code and no catalog, on a database
 * of its own with the same stores and indexes as the app's `events`, `unsent` and `meta`, doing the
 * storage work a sale does with the bare APIs: since issue 14, the event's backup copy as a file in
 * the Origin Private File System, written by a dedicated worker with a synchronous access handle
 * (write, flush, close; as src/db/journal.worker.ts), beside it the event, its outbox row and the saved
 * cart's removal in one strict readwrite transaction. Nothing here imports from src/: the worker is
 * a few lines of plain JavaScript started from a Blob, spoken to with bare postMessage.
 */
export {};

const WRITER = `
onmessage = async ({ data }) => {
  try {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(data.directory, { create: true });
    const handle = await (await dir.getFileHandle(data.name, { create: true })).createSyncAccessHandle();
    try {
      handle.truncate(0);
      handle.write(new TextEncoder().encode(data.text), { at: 0 });
      handle.flush();
    } finally {
      handle.close();
    }
    postMessage({ id: data.id });
  } catch (error) {
    postMessage({ id: data.id, error: String(error) });
  }
};`;

let writer: Worker | null = null;
let directory = '';
let calls = 0;
const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

function startWriter(): Worker {
  const worker = new Worker(URL.createObjectURL(new Blob([WRITER], { type: 'text/javascript' })));
  worker.onmessage = ({ data }: MessageEvent<{ id: number; error?: string }>) => {
    const call = waiting.get(data.id);
    waiting.delete(data.id);
    if (data.error === undefined) call?.resolve();
    else call?.reject(new Error(data.error));
  };
  return worker;
}

function writeFile(name: string, text: string): Promise<void> {
  const worker = (writer ??= startWriter());
  calls += 1;
  const id = calls;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, directory, name, text });
  });
}

declare global {
  interface Window {
    perpetuaBare: typeof api;
  }
}

let db: IDBDatabase | null = null;
let files: FileSystemDirectoryHandle | null = null;
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
      request.result.createObjectStore('meta', { keyPath: 'key' });
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
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(`bare-${name}`, { recursive: true }).catch(() => undefined);
    files = await root.getDirectoryHandle(`bare-${name}`, { create: true });
    directory = `bare-${name}`;
    seq = 0;
  },

  /** Writes `template` (an app sale, as recorded) as a new event: its file, then its rows; ms to commit. */
  async write(template: Record<string, unknown>): Promise<number> {
    const database = db;
    const folder = files;
    if (!database || !folder) throw new Error('open() first');
    const t = performance.now();
    seq += 1;
    const event = { ...template, id: crypto.randomUUID(), seq };
    // The file and the transaction side by side, as the app writes them; done when both are.
    const copied = writeFile(`event-${seq}-${event.id}.json`, JSON.stringify(event));
    const committed = new Promise<void>((resolve, reject) => {
      const tx = database.transaction(['events', 'unsent', 'meta'], 'readwrite', { durability: 'strict' });
      tx.objectStore('events').add(event);
      tx.objectStore('unsent').add({ seq, eventId: event.id, attempts: 0 });
      tx.objectStore('meta').delete('cart');
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('bare transaction aborted'));
    });
    await Promise.all([copied, committed]);
    return performance.now() - t;
  },

  close(): void {
    db?.close();
    db = null;
  },
};

window.perpetuaBare = api;
const status = document.getElementById('status');
if (status) status.dataset['ready'] = 'true';
