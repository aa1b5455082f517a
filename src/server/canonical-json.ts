/**
 * JSON with object keys sorted, so two copies of one event serialise to the same text whatever
 * order their keys arrived in. "Same id, same content" is then a string comparison.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    // Like JSON.stringify: a property whose value is undefined is left out.
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * Whether two stored JSON texts hold the same content. Events are stored as the domain schema
 * serialises them (key order fixed by the schema, checked cheaply by string equality); this slower
 * comparison only runs when the strings differ, so a schema that reorders keys in a later version
 * does not turn a resent event into a false "different content".
 */
export function sameJsonContent(a: string, b: string): boolean {
  return a === b || canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
}
