/**
 * Golden tests: worked examples in the neutral format described in tests/fixtures/golden/README.md.
 * Every *.json in tests/fixtures/golden/ (the project's own examples, worked by hand) and in
 * ../shared/golden/ (examples with published numbers, not ours to copy; run when that folder is
 * present, reported as skipped when not) is run, so an example added there is checked without a
 * code change. The expected numbers come only from those files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Books, type ValuationMethod } from '../../src/domain/books/index.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { absentNotice, sharedDataSet } from '../shared-data.ts';
import { Device } from './support/event-factory.ts';
import { balanceOf, trialBalance } from '../../src/domain/journal.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sharedGolden = sharedDataSet('golden');
const GOLDEN_DIRS = [sharedGolden.path, path.resolve(repoRoot, 'tests/fixtures/golden')];
const sharedAbsent = absentNotice(sharedGolden, 'the golden examples with published numbers');
if (!sharedGolden.present) console.warn(sharedAbsent);

interface Expectation {
  qty?: number;
  value?: number;
  cogs?: number;
  cogsCorrection?: number;
  unitCost?: number;
}
type Step =
  | ({ op: 'receive'; qty: number; unitCost: number } & { expect?: Expectation })
  | ({ op: 'sell'; qty: number } & { expect?: Expectation });
interface Example {
  name: string;
  method: ValuationMethod;
  catalogCost?: number;
  steps: Step[];
  totals?: { cogs?: number; endingValue?: number };
}

const KNOWN_EXPECTATIONS = new Set(['qty', 'value', 'cogs', 'cogsCorrection', 'unitCost']);
const KNOWN_TOTALS = new Set(['cogs', 'endingValue']);

function loadExamples(): { file: string; example: Example }[] {
  const found: { file: string; example: Example }[] = [];
  for (const dir of GOLDEN_DIRS) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const file = path.join(dir, name);
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Example[] | Example;
      for (const example of Array.isArray(parsed) ? parsed : [parsed]) found.push({ file, example });
    }
  }
  return found;
}

const examples = loadExamples();

describe('golden inventory examples', () => {
  it('finds the example files', () => {
    expect(examples.length).toBeGreaterThan(0);
  });
  // A skipped entry in the report, named by the sentence, so a run without the shared folder shows it.
  if (!sharedGolden.present) it.skip(sharedAbsent, () => {});

  for (const { file, example } of examples) {
    const where = `${path.relative(repoRoot, file)} › ${example.name}`;
    it(where, () => {
      expect(['fifo', 'average'], `${where}: method`).toContain(example.method);
      const productId = 'sku-golden';
      const locationId = 'loc-1';
      const device = new Device('golden-device', locationId);
      const ledger = new Books({ valuation: example.method, currency: 'EUR' });
      const apply = (event: LedgerEvent): void => {
        const parsed = parseEvent(event);
        expect(parsed.ok ? 'valid' : parsed.error).toBe('valid');
        expect(ledger.apply(event).status).toBe('applied');
      };
      apply(device.product(productId, example.catalogCost ?? 0));

      example.steps.forEach((step, index) => {
        const label = `${where} step ${index + 1} (${step.op} ${step.qty})`;
        let event: LedgerEvent;
        if (step.op === 'receive') event = device.receive([{ productId, qty: step.qty, unitCost: step.unitCost }]);
        else if (step.op === 'sell') event = device.sale([{ productId, qty: step.qty }]);
        else throw new Error(`${label}: unknown op ${(step as { op: string }).op}; teach golden.test.ts its meaning`);
        apply(event);

        const expected = step.expect ?? {};
        for (const key of Object.keys(expected)) expect(KNOWN_EXPECTATIONS, `${label}: unknown expectation ${key}`).toContain(key);
        const valuation = ledger.valuationOf(productId, locationId);
        if (expected.qty !== undefined) expect(valuation.qty, `${label}: qty`).toBe(expected.qty);
        if (expected.value !== undefined) expect(valuation.value, `${label}: value`).toBe(expected.value);
        if (expected.unitCost !== undefined) expect(valuation.unitCost, `${label}: unitCost`).toBeCloseTo(expected.unitCost, 9);
        if (expected.cogs !== undefined) {
          const cogs = (ledger.saleCogs(event.id) ?? []).reduce((sum, line) => sum + line.cogs, 0);
          expect(cogs, `${label}: cogs`).toBe(expected.cogs);
        }
        if (expected.cogsCorrection !== undefined) {
          const correction = ledger.movementsOf(event.id).reduce((sum, m) => sum + m.correction, 0);
          expect(correction, `${label}: cogsCorrection`).toBe(expected.cogsCorrection);
        }
        // The books tie to the stock after every step.
        const trial = trialBalance(ledger);
        expect(trial.totalDebit, `${label}: trial balance`).toBe(trial.totalCredit);
        expect(balanceOf(ledger, 'inventory'), `${label}: Inventory account`).toBe(valuation.value);
      });

      const totals = example.totals ?? {};
      for (const key of Object.keys(totals)) expect(KNOWN_TOTALS, `${where}: unknown total ${key}`).toContain(key);
      if (totals.cogs !== undefined) expect(balanceOf(ledger, 'cogs'), `${where}: total COGS`).toBe(totals.cogs);
      if (totals.endingValue !== undefined) {
        expect(ledger.inventoryValue(), `${where}: ending value`).toBe(totals.endingValue);
        expect(balanceOf(ledger, 'inventory'), `${where}: ending Inventory account`).toBe(totals.endingValue);
      }
    });
  }
});
