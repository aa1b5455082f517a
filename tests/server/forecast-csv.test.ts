/**
 * `npm run -s forecast:csv -- IN.csv --horizon H > OUT.csv`, run as the real command on files the
 * test writes into a temp dir: the first case through npm (the package.json script), the rest as
 * that script's `tsx src/server/cli/forecast-csv.ts` directly (`node --import tsx`), in parallel,
 * since npm adds seconds per run.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forecastSeries } from '../../src/domain/forecasting/index.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'forecast-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

function command(args: string[], via: 'npm' | 'node' = 'node'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child =
      via === 'npm'
        ? spawn('npm', ['run', '-s', 'forecast:csv', '--', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/forecast-csv.ts', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Random-looking but fixed series: leading empty cells for late starters, some all-zero, some empty. */
function generated(count: number, periods: number): { text: string; rows: (number | null)[][] } {
  let seed = 16;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = Array.from({ length: count }, (_, s) => {
    const start = s % 5 === 0 ? Math.floor(next() * periods) : 0;
    return Array.from({ length: periods }, (_, p) => (p < start || s % 17 === 3 ? null : s % 7 === 2 ? 0 : Math.floor(next() * next() * 9)));
  });
  const header = ['id', ...Array.from({ length: periods }, (_, p) => `p${p + 1}`)].join(',');
  const lines = rows.map((row, s) => [`part-${s}`, ...row.map((v) => (v === null ? '' : String(v)))].join(','));
  return { text: `${header}\n${lines.join('\n')}\n`, rows };
}

describe('forecast:csv', () => {
  it('writes id,F1…FH, one row per series in input order, the forecaster’s non-negative figures', async () => {
    const { text, rows } = generated(60, 40);
    const run = await command([file('good.csv', text), '--horizon', '6'], 'npm');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('id,F1,F2,F3,F4,F5,F6');
    expect(lines).toHaveLength(61);
    rows.forEach((row, s) => {
      const cells = (lines[s + 1] ?? '').split(',');
      expect(cells[0]).toBe(`part-${s}`);
      expect(cells).toHaveLength(7);
      const forecast = forecastSeries(row, { horizon: 6 });
      const expected = forecast.kind === 'forecast' ? forecast.perPeriod : [0, 0, 0, 0, 0, 0];
      cells.slice(1).forEach((cell, h) => {
        expect(Number(cell)).toBeGreaterThanOrEqual(0);
        expect(Number(cell)).toBeCloseTo(expected[h] ?? Number.NaN, 4);
      });
    });
    // Series with no data at all are written as 0 and named on stderr.
    expect(run.stderr).toContain('series part-3 has no data at all');
  }, 60_000);

  it('quotes ids that need it and accepts CRLF, leading empties and a weekly season', async () => {
    const days = Array.from({ length: 35 }, (_, d) => (d % 7 === 5 ? 12 : 3));
    const text = `id,${days.map((_, d) => `d${d}`).join(',')}\r\n"shelf, top",${days.join(',')}\r\nlate,${days.map((v, d) => (d < 10 ? '' : v)).join(',')}\r\n`;
    const run = await command([file('crlf.csv', text), '--horizon=7', '--season-length', '7']);
    expect(run.code).toBe(0);
    const [header, first] = run.stdout.split('\n');
    expect(header).toBe('id,F1,F2,F3,F4,F5,F6,F7');
    expect(first?.startsWith('"shelf, top",')).toBe(true);
    // Day 35 + h is the strong weekday when (35 + h) mod 7 = 5: h = 5.
    const figures = (first ?? '').split(',').slice(2).map(Number);
    expect(figures.indexOf(Math.max(...figures))).toBe(5);
  }, 60_000);

  const bad: [string, string, string[], RegExp][] = [
    ['a cell that is not a number', 'id,a,b,c\nx,1,2,3\ny,1,two,3\n', ['--horizon', '3'], /Line 3, column 3 \(b\): "two" is not a number of units sold/],
    ['a negative cell', 'id,a,b\nx,1,-2\n', ['--horizon', '3'], /Line 2, column 3 \(b\): "-2" is not a number/],
    ['a ragged row', 'id,a,b,c\nx,1,2,3\ny,1,2,3\nz,1,2\n', ['--horizon', '3'], /Line 4 has 3 cells but the header has 4/],
    ['no data rows', 'id,a,b,c\n', ['--horizon', '3'], /header row but no series/],
    ['an empty file', '', ['--horizon', '3'], /The file is empty/],
    ['a blank line inside', 'id,a\nx,1\n\ny,2\n', ['--horizon', '3'], /Line 3 is empty/],
    ['a missing --horizon', 'id,a\nx,1\n', [], /--horizon H/],
    ['a --horizon of 0', 'id,a\nx,1\n', ['--horizon', '0'], /--horizon "0" is not a whole number of periods from 1/],
    ['a --horizon that is not a number', 'id,a\nx,1\n', ['--horizon', 'soon'], /--horizon "soon" is not a whole number/],
  ];
  it('refuses bad input: a sentence naming the line on stderr, nothing on stdout, a non-zero exit', async () => {
    const runs = await Promise.all(bad.map(([what, text, args]) => command([file(`bad-${what.replace(/\W+/g, '-')}.csv`, text), ...args])));
    runs.forEach((run, i) => {
      const [what, , , message] = bad[i] ?? ['', '', [], /^$/];
      expect(run.code, what).not.toBe(0);
      expect(run.stdout, what).toBe('');
      expect(run.stderr, what).toMatch(message);
    });
  }, 120_000);

  it('refuses a file it cannot read', async () => {
    const missing = await command([path.join(dir, 'no-such.csv'), '--horizon', '2']);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/Could not read .*no-such\.csv \(ENOENT\)/);
    if (process.getuid?.() !== 0) {
      const locked = file('locked.csv', 'id,a\nx,1\n');
      chmodSync(locked, 0o000);
      const run = await command([locked, '--horizon', '2']);
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/Could not read .*locked\.csv \(EACCES\)/);
    }
  }, 60_000);
});
