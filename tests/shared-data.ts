/**
 * Data sets that are not ours to publish (the ZXing barcode photos, the golden examples with
 * published numbers) live next to the repository in `../shared/`, never inside it. Tests and
 * benchmarks read them from there when they are present and say plainly when they are not.
 *
 * PERPETUA_SHARED_DIR overrides the folder, e.g. to point at a copy elsewhere, or at a folder that
 * does not exist to see what a plain clone runs.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..');

export interface SharedDataSet {
  /** Absolute path of the data set's folder. */
  path: string;
  /** How to name it to a person: relative to the repository when that is shorter. */
  label: string;
  present: boolean;
}

/** The folder holding the shared data sets: $PERPETUA_SHARED_DIR, else `../shared` beside the repository. */
export function sharedDir(): string {
  const override = process.env['PERPETUA_SHARED_DIR'];
  return override !== undefined && override !== '' ? resolve(override) : resolve(repoRoot, '../shared');
}

/** One data set of the shared folder, e.g. `sharedDataSet('barcode-corpus')`. */
export function sharedDataSet(name: string): SharedDataSet {
  const path = resolve(sharedDir(), name);
  const fromRepo = relative(repoRoot, path);
  return { path, label: fromRepo.length < path.length ? fromRepo : path, present: existsSync(path) };
}

/** The sentence a test or benchmark prints when it skips work because a data set is absent. */
export function absentNotice(set: SharedDataSet, skipped: string): string {
  const where = set.label === set.path ? set.path : `${set.label} (${set.path})`;
  return `Skipped: ${skipped}, because ${where} is absent. Put the data set there or set PERPETUA_SHARED_DIR to the folder that holds it.`;
}
