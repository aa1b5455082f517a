/**
 * Code 128 (code set B) as bar widths, for printing the receipt number as a barcode that a hand
 * scanner or the camera reads back on the Returns screen. Pure: the UI draws the widths.
 *
 * The symbol: start B, one symbol character per text character (value = char code − 32), a
 * check character ((104 + Σ position × value) mod 103), stop. Quiet zones are the renderer's job
 * (at least 10 modules each side).
 */

/**
 * The 106 symbol characters' widths (bar, space, bar, space, bar, space) in modules, indexed by value,
 * from the Code 128 standard (ISO/IEC 15417, table 1).
 */
const PATTERNS: readonly string[] = [
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212',
  '112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131',
  '311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321',
  '112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121',
  '313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111',
  '314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114',
  '122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212',
  '124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113',
  '114311 411113 411311 113141 114131 311141 411131 211412 211214 211232',
]
  .join(' ')
  .split(' ');
const STOP = '2331112';
const START_B = 104;

/** Text Code 128 set B can carry: printable ASCII (space to ~). */
export function isCode128BText(text: string): boolean {
  return text.length > 0 && [...text].every((c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) <= 126);
}

/** Alternating bar/space widths in modules, starting and ending with a bar. */
export function code128B(text: string): number[] {
  if (!isCode128BText(text)) throw new RangeError(`Code 128 set B carries printable ASCII only, got ${JSON.stringify(text)}`);
  const values = [...text].map((c) => c.charCodeAt(0) - 32);
  const check = values.reduce((sum, value, i) => sum + value * (i + 1), START_B) % 103;
  const symbols = [START_B, ...values, check].map((value) => PATTERNS[value] ?? '');
  return [...symbols, STOP].flatMap((pattern) => [...pattern].map(Number));
}
