import * as validation from '../domain/validate.ts';

/**
 * The service worker's `loadValidation` (vite.config.ts puts it in place of load-validation.ts in
 * that build): a classic worker script is one file, and the `import()` of the page's version would
 * bring Vite's chunk loader, which a classic script cannot even parse (`import.meta`).
 */
export const loadValidation = () => Promise.resolve(validation);
