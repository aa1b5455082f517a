/**
 * The one exhaustiveness check: a `switch` over a discriminated union ends in `assertNever(value)`,
 * so adding a case to the union stops the build at every switch that does not handle it yet.
 */
export function assertNever(value: never, what = 'case'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
