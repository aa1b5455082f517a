import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/', 'node_modules/', 'data/', 'bench/results/', 'coverage/', 'test-results/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: ['**/db/**', '**/ui/**', '**/server/**', '**/sync/**', '**/scanner/**', 'dexie', 'preact', 'node:*'] }],
    },
  },
  {
    // The commands: above the domain, below everything that does I/O (src/app/README.md).
    files: ['src/app/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: ['**/db/**', '**/ui/**', '**/server/**', '**/sync/**', '**/scanner/**', 'dexie', 'preact', 'node:*'] }],
    },
  },
);
