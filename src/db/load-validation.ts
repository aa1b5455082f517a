let validation: Promise<typeof import('../domain/validate.ts')> | null = null;

/**
 * Event validation (zod), loaded on first use rather than with the first screen: a first start
 * needs none (issue 19). Once: a second `import()` of a loaded module still costs a trip through
 * the module loader.
 */
export const loadValidation = () => (validation ??= import('../domain/validate.ts'));
