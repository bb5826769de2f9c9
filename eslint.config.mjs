// typescript-eslint's type-checked rules, floating promises as errors (STYLE habit 9).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'apps/console/dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'k6/**',
      'bench/results/**',
      'scripts/**',
      'stryker/**',
      '.stryker-tmp/**',
      'reports/**',
      '*.js',
      '*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The benchmark scripts: JavaScript type-checked by tsc (bench/tsconfig.json, checkJs), which
    // already reports undefined names, with Node's globals that no-undef does not know.
    files: ['bench/**/*.mjs'],
    rules: { 'no-undef': 'off' },
  },
  prettier,
);
