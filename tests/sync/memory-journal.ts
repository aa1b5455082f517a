/** The backup copy (src/db/journal.ts) kept in memory: Node has no Origin Private File System. */
import type { JournalFiles } from '../../src/db/journal.ts';

export function memoryFiles(): JournalFiles & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    names: async () => [...files.keys()],
    read: async (name) => files.get(name),
    write: async (name, text) => void files.set(name, text),
    remove: async (name) => void files.delete(name),
  };
}
