import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import netdesk from './eslint-rules/netdesk-boundaries.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'apps/dashboard/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // process.env is read in one place only: the config schema.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through @netdesk/config.' },
      ],
    },
  },
  {
    // Bounded contexts: a lib reaches another lib only through its @netdesk index, never an app.
    // Another context's entities and repositories never cross: read through its port (docs/decisions.md).
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    plugins: { netdesk },
    rules: { 'netdesk/lib-imports': 'error', 'netdesk/entity-crossing': 'error' },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        __filename: 'readonly',
        process: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: [
      'libs/shared/config/src/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
      '**/*.spec.ts',
      'config/**/*.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
);
