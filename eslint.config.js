// Lint config. The dependency rule of docs/architecture.md is enforced here, so it cannot drift.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

const azureSdk = { group: ['@azure/*'], message: 'Azure SDKs belong in shared/azure and shared/store only.' };
const nodeIo = {
  group: ['node:*', 'fs', 'http', 'https', 'net', 'child_process', 'os', 'path'],
  message: 'shared/domain is pure: no I/O, no Node built-ins.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.local/', '.emulator/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './shared/domain',
              from: [
                './shared/services',
                './shared/azure',
                './shared/store',
                './functions',
                './emulator',
                './local',
              ],
              message: 'shared/domain imports nothing outside itself.',
            },
            {
              target: './shared/services',
              from: ['./shared/azure', './shared/store', './functions', './emulator', './local'],
              message: 'shared/services imports shared/domain only; adapters come in through deps.',
            },
            {
              target: ['./shared/azure', './shared/store'],
              from: ['./shared/services', './functions', './emulator', './local'],
              message: 'adapters import shared/domain and the SDKs only.',
            },
            {
              target: './functions',
              from: ['./shared/azure', './shared/store', './emulator'],
              message: 'functions/ reach adapters through shared/composition only.',
            },
            {
              target: './emulator',
              from: ['./shared', './functions', './local'],
              message:
                'the emulator is an independent stand-in for Azure: it imports nothing from the fleet manager.',
            },
            {
              target: './cli',
              from: [
                './shared/store',
                './shared/azure',
                './shared/services',
                './shared/composition.ts',
                './shared/createAppContext.ts',
                './shared/appContext.ts',
                './functions',
                './emulator',
              ],
              message: 'the CLI talks HTTP only: shared/domain types and local/progressView.ts at most.',
            },
            {
              target: './cli',
              from: './local',
              except: ['./progressView.ts'],
              message: 'the CLI reuses local/progressView.ts only.',
            },
            {
              target: './dashboard',
              from: './shared',
              except: ['./domain'],
              message: 'the dashboard is browser code over the HTTP API: shared/domain types at most.',
            },
            {
              target: './dashboard',
              from: ['./functions', './emulator', './local', './cli'],
              message: 'the dashboard is browser code over the HTTP API: shared/domain types at most.',
            },
          ],
        },
      ],
    },
  },
  {
    // The zones above need imports resolved (`./x.js` is `./x.ts`); without a resolver they check nothing.
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.js', '.mjs'], extensionAlias: { '.js': ['.ts', '.js'] } }),
      ],
    },
  },
  {
    // Browser code: only type imports from shared/domain (nothing of it lands in the bundle).
    files: ['dashboard/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/shared/**'], allowTypeImports: true, message: 'type imports only' }] },
      ],
    },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [azureSdk, nodeIo] }] },
  },
  {
    files: ['shared/services/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [azureSdk] }] },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ ...azureSdk, group: ['@azure/*', '!@azure/functions'] }] },
      ],
    },
  },
);
