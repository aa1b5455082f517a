/**
 * Hands a CSV file made on this device to the browser's downloads: a Blob behind a link clicked once,
 * so it works offline. The Exports and Audit screens share it.
 */
import type { CsvFile } from '../../domain/exports/index.ts';

export function downloadCsv(file: CsvFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
