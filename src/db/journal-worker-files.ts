import * as Comlink from 'comlink';

/** What src/db/journal.worker.ts offers the page. */
export interface JournalWorkerApi {
  /** True where the worker can open synchronous access handles (else the page keeps its writable streams). */
  probe(): boolean;
  /** `replace`: the file may exist already and is replaced whole (by a move), not written in place. */
  write(directory: string, name: string, text: string, replace: boolean): Promise<void>;
}

/**
 * The journal's writes through a dedicated worker (src/db/journal.worker.ts) with synchronous,
 * flushed access handles. Loaded on demand by `openOpfsJournal`, so neither comlink nor the worker is
 * in the first screen's JS. Resolves to undefined where the worker cannot open sync access handles.
 */
export async function startJournalWorker(directory: string): Promise<((name: string, text: string) => Promise<void>) | undefined> {
  const worker = new Worker(new URL('./journal.worker.ts', import.meta.url), { type: 'module', name: 'journal-writer' });
  const api = Comlink.wrap<JournalWorkerApi>(worker);
  const failed = new Promise<false>((resolve) => worker.addEventListener('error', () => resolve(false), { once: true }));
  const usable = await Promise.race([api.probe(), failed]).catch(() => false);
  if (!usable) {
    worker.terminate();
    return undefined;
  }
  // Event files are new and written once; any other file (the identity) is replaced.
  return (name, text) => api.write(directory, name, text, !name.startsWith('event-'));
}
