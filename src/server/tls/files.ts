/**
 * Small file helpers for the certificate files in DATA_DIR/tls: private keys are written with
 * mode 0600 (owner read/write only) from the first byte, and every file is replaced atomically so
 * a crash never leaves half a key behind.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function writeFileAtomically(path: string, text: string, mode: 0o600 | 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  // writeFile's mode is filtered by the umask; say it once more so a key is never group-readable.
  await chmod(temporary, mode);
  await rename(temporary, path);
}
