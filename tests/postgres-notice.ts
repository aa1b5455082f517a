/**
 * Vitest global setup of the unit project: says out loud when the PostgreSQL half of the storage
 * tests is skipped, so a green `npm test` without TEST_DATABASE_URL is not mistaken for a full run.
 */
export default function setup(): void {
  if (process.env.TEST_DATABASE_URL) return;
  process.stdout.write(
    '\nNote: TEST_DATABASE_URL is not set, so the PostgreSQL storage tests and the several-servers test are skipped\n' +
      '(SQLite runs). .ci/run starts PostgreSQL and sets it; see src/server/README.md to run them here.\n\n',
  );
}
