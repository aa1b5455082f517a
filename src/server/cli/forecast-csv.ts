/**
 * `npm run -s forecast:csv -- IN.csv --horizon H [--season-length 7] > OUT.csv` (issue 16): the
 * forecaster on a file of series, for checking it on any data.
 *
 * IN.csv: a header row; then one row per series: its id, then one cell per period in time order, a
 * number of units sold, or empty where the series has no data (yet, or a stock-out).
 * OUT.csv: `id,F1,…,FH`, one row per input series in input order, non-negative numbers.
 * Bad input (a cell that is not a number, a row with more or fewer cells than the header, no data
 * rows, a missing or invalid --horizon, a file that cannot be read) exits non-zero with a sentence
 * naming the line on stderr and writes nothing to stdout.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { splitCsvLine } from '../../domain/catalog-csv.ts';
import { forecastSeries, type DemandSeries } from '../../domain/forecasting/index.ts';

export type ParsedSeries = { ok: true; periods: string[]; series: { id: string; values: DemandSeries }[] } | { ok: false; message: string };

const NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Reads IN.csv's text; a problem names its line (1 is the header). */
export function parseSeriesCsv(text: string): ParsedSeries {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  if (lines.length === 0) return { ok: false, message: 'The file is empty: it needs a header row (id, then one column per period) and a row per series.' };
  const header = splitCsvLine(lines[0] ?? '', ',');
  if (header.length < 2) return { ok: false, message: 'Line 1: the header row needs the id column and at least one period column.' };
  const series: { id: string; values: DemandSeries }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i] ?? '';
    if (raw.trim() === '') return { ok: false, message: `Line ${line} is empty; remove it (blank lines are only allowed at the end).` };
    const cells = splitCsvLine(raw, ',');
    if (cells.length !== header.length) {
      return { ok: false, message: `Line ${line} has ${cells.length} cells but the header has ${header.length}; every row needs its id and one cell per period (empty where there is no data).` };
    }
    const id = cells[0] ?? '';
    if (id === '') return { ok: false, message: `Line ${line} has no series id in its first cell.` };
    const values: (number | null)[] = [];
    for (let c = 1; c < cells.length; c++) {
      const cell = cells[c] ?? '';
      if (cell === '') values.push(null);
      else if (NUMBER.test(cell) && Number.isFinite(Number(cell))) values.push(Number(cell));
      else return { ok: false, message: `Line ${line}, column ${c + 1} (${header[c] ?? ''}): "${cell}" is not a number of units sold (a number of 0 or more, or empty for no data).` };
    }
    series.push({ id, values });
  }
  if (series.length === 0) return { ok: false, message: 'The file has a header row but no series: add one row per series below it.' };
  return { ok: true, periods: header.slice(1), series };
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A forecast figure: at most 4 decimals, never negative, never "-0". */
function figure(value: number): string {
  const rounded = Math.round(Math.max(0, value) * 1e4) / 1e4;
  return String(rounded === 0 ? 0 : rounded);
}

export type CliResult = { code: number; stdout: string; stderr: string };

const USAGE = 'Usage: npm run -s forecast:csv -- IN.csv --horizon H [--season-length 7] > OUT.csv';

export function runForecastCsv(args: readonly string[], readText: (file: string) => string): CliResult {
  let file: string | undefined;
  let horizonText: string | undefined;
  let seasonText: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inline] = arg.startsWith('--') ? (arg.split(/=(.*)/s, 2) as [string, string | undefined]) : [arg, undefined];
    if (flag === '--horizon' || flag === '--season-length') {
      const value = inline ?? args[++i];
      if (flag === '--horizon') horizonText = value;
      else seasonText = value;
    } else if (arg.startsWith('--')) return { code: 2, stdout: '', stderr: `Unknown option ${arg}. ${USAGE}\n` };
    else if (file === undefined) file = arg;
    else return { code: 2, stdout: '', stderr: `Only one input file, please (got ${file} and ${arg}). ${USAGE}\n` };
  }
  if (file === undefined) return { code: 2, stdout: '', stderr: `Name the input file. ${USAGE}\n` };
  if (horizonText === undefined) return { code: 2, stdout: '', stderr: `Say how many periods to forecast with --horizon H (a whole number from 1). ${USAGE}\n` };
  const horizon = Number(horizonText);
  if (!/^\d+$/.test(horizonText) || !Number.isSafeInteger(horizon) || horizon < 1 || horizon > 10_000) {
    return { code: 2, stdout: '', stderr: `--horizon "${horizonText}" is not a whole number of periods from 1 to 10000. ${USAGE}\n` };
  }
  const seasonLength = seasonText === undefined ? undefined : Number(seasonText);
  if (seasonText !== undefined && (!/^\d+$/.test(seasonText) || !(Number(seasonText) >= 2))) {
    return { code: 2, stdout: '', stderr: `--season-length "${seasonText}" is not a whole number of periods from 2 (7 for a weekly profile on daily series). ${USAGE}\n` };
  }
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    return { code: 1, stdout: '', stderr: `Could not read ${file} (${reason}); check the path and that the file is readable.\n` };
  }
  const parsed = parseSeriesCsv(text);
  if (!parsed.ok) return { code: 1, stdout: '', stderr: `${file}: ${parsed.message}\n` };

  const out: string[] = [['id', ...Array.from({ length: horizon }, (_, h) => `F${h + 1}`)].join(',')];
  const notes: string[] = [];
  for (const { id, values } of parsed.series) {
    const forecast = forecastSeries(values, { horizon, seasonLength });
    const perPeriod = forecast.kind === 'forecast' ? forecast.perPeriod : new Array<number>(horizon).fill(0);
    if (forecast.kind === 'none') notes.push(`Note: series ${id} has no data at all; its forecast is written as 0.`);
    out.push([csvCell(id), ...perPeriod.map(figure)].join(','));
  }
  return { code: 0, stdout: `${out.join('\n')}\n`, stderr: notes.length > 0 ? `${notes.join('\n')}\n` : '' };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const result = runForecastCsv(process.argv.slice(2), (file) => readFileSync(file, 'utf8'));
  if (result.stderr) process.stderr.write(result.stderr);
  if (result.stdout) process.stdout.write(result.stdout);
  process.exitCode = result.code;
}
