/**
 * @peculiar/x509 registers its algorithms with tsyringe, which refuses to load unless the Reflect
 * metadata API exists (normally the `reflect-metadata` package, which is not a dependency yet).
 * x509's classes take no constructor parameters, so the three functions tsyringe calls only need
 * to remember what was defined on each class itself. Replace this file with
 * `import 'reflect-metadata'` once that package is added.
 */
type MetadataReflect = typeof Reflect & {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
};

const reflect = Reflect as MetadataReflect;
if (!reflect.getMetadata) {
  const store = new WeakMap<object, Map<unknown, unknown>>();
  reflect.defineMetadata = (key, value, target) => {
    const entries = store.get(target) ?? new Map<unknown, unknown>();
    entries.set(key, value);
    store.set(target, entries);
  };
  reflect.getOwnMetadata = (key, target) => store.get(target)?.get(key);
  reflect.getMetadata = reflect.getOwnMetadata;
}

export {};
