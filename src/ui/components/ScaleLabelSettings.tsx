/**
 * Settings → Scale labels: how the store's scale labels (GS1 variable measure, EAN-13 prefixes
 * 20–29) carry a weight, a price or a count. The local GS1 organisation sets the layout, so each
 * store may differ; a new store starts with the default (28 weight in grams, 29 price in cents).
 * The rules are checked when saved, by the `changeStoreSettings` command.
 */
import type { VariableMeasureKind, VariableMeasureRule, VariableMeasureRules } from '../../domain/gtin.ts';

const PREFIXES = ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29'];
const KIND_LABEL: Record<VariableMeasureKind, string> = { weight: 'weight (kg)', price: 'price', count: 'count' };
/** What a rule of each kind starts as when the owner picks it. */
const NEW_RULE: Record<VariableMeasureKind, VariableMeasureRule> = {
  weight: { kind: 'weight', pattern: 'IIIIIIIVVVVV', decimals: 3 },
  price: { kind: 'price', pattern: 'IIIIIIIVVVVV', decimals: 2 },
  count: { kind: 'count', pattern: 'IIIIIIIVVVVV', decimals: 0 },
};

export function ScaleLabelSettings({ rules, onChange }: { rules: VariableMeasureRules; onChange(rules: VariableMeasureRules): void }) {
  const set = (prefix: string, rule: VariableMeasureRule | undefined) => {
    const next = { ...rules };
    if (rule) next[prefix] = rule;
    else delete next[prefix];
    onChange(next);
  };
  return (
    <details class="scale-labels">
      <summary>Scale labels (GS1 variable measure)</summary>
      <p class="hint">
        Pattern: 12 letters for the digits before the check digit; I item, V value, C price check digit. Decimals: digits of the value after the point.
      </p>
      {PREFIXES.map((prefix) => {
        const rule = rules[prefix];
        return (
          <div class="field-row" key={prefix}>
            <label>
              Prefix {prefix}
              <select
                name={`scale-${prefix}`}
                value={rule?.kind ?? ''}
                onChange={(e) => {
                  const kind = e.currentTarget.value as VariableMeasureKind | '';
                  set(prefix, kind === '' ? undefined : rule?.kind === kind ? rule : NEW_RULE[kind]);
                }}
              >
                <option value="">ordinary barcodes</option>
                {(Object.keys(KIND_LABEL) as VariableMeasureKind[]).map((kind) => (
                  <option key={kind} value={kind}>
                    {KIND_LABEL[kind]}
                  </option>
                ))}
              </select>
            </label>
            {rule && (
              <>
                <label>
                  Pattern<span class="visually-hidden"> of prefix {prefix}</span>
                  <input value={rule.pattern} maxLength={12} autoComplete="off" onInput={(e) => set(prefix, { ...rule, pattern: e.currentTarget.value.toUpperCase() })} />
                </label>
                <label>
                  Decimals<span class="visually-hidden"> of prefix {prefix}</span>
                  <input inputMode="numeric" value={String(rule.decimals)} onInput={(e) => set(prefix, { ...rule, decimals: Number(e.currentTarget.value) })} />
                </label>
              </>
            )}
          </div>
        );
      })}
    </details>
  );
}
