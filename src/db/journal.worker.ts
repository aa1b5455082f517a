/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import type { JournalWorkerApi } from './journal-worker-files.ts';

/**
 * Writes the journal's files (src/db/journal.ts) with a synchronous access handle, which only a
 * dedicated worker may open: write, `flush()` (the bytes are on disk before the write is reported
 * done, which a writable stream's `close()` does not promise) and `close()`. Issue 14, item 17.
 */
const encoder = new TextEncoder();
type SyncHandle = { write(data: Uint8Array, options: { at: number }): number; truncate(size: number): void; flush(): void; close(): void };
type SyncFile = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncHandle>; move(name: string): Promise<void> };

async function writeFile(file: FileSystemFileHandle, text: string): Promise<void> {
  const handle = await (file as SyncFile).createSyncAccessHandle();
  try {
    handle.truncate(0);
    handle.write(encoder.encode(text), { at: 0 });
    handle.flush();
  } finally {
    handle.close();
  }
}

// A sync access handle locks its file: writes run one after another, so two writes of the same
// name (the identity at start and after pairing) never meet.
let queue: Promise<void> = Promise.resolve();

const api: JournalWorkerApi = {
  probe: () => typeof FileSystemFileHandle !== 'undefined' && 'createSyncAccessHandle' in FileSystemFileHandle.prototype,
  write(directory, name, text, replace) {
    const run = async (): Promise<void> => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(directory, { create: true });
      if (!replace) {
        // A new file (an event, written once): a crash mid-write leaves a file that does not parse,
        // which the restore skips; its event was not yet reported recorded (the file comes first).
        await writeFile(await dir.getFileHandle(name, { create: true }), text);
        return;
      }
      // A file that is replaced (the identity): the new text goes to a temporary name and takes the
      // old one's place by a move, so a crash leaves the old file or the new one, whole.
      const temporary = await dir.getFileHandle(`${name}.tmp`, { create: true });
      await writeFile(temporary, text);
      await (temporary as SyncFile).move(name);
    };
    const done = queue.then(run);
    queue = done.catch(() => undefined);
    return done;
  },
};

Comlink.expose(api);
