// Lint is part of `npm test`. Besides the usual typed rules it enforces the layering of
// DESIGN.md: a layer imports only the layers below it, and the simulator shares no code with
// the host side (a shared protocol bug would cancel out and every test would lie).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const layers = ['core', 'transport', 'protocols', 'modem', 'detect', 'flash', 'diagnose', 'guard', 'fleet', 'sim', 'cli'];

/** Import patterns a file in `layer` may not use: every layer above it. */
function forbiddenAbove(layer) {
  const index = layers.indexOf(layer);
  return layers.slice(index + 1).map((above) => `**/${above}/**`);
}

const layerRules = layers
  .filter((layer) => layer !== 'sim' && layer !== 'cli')
  .map((layer) => ({
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: forbiddenAbove(layer), message: `DESIGN.md: ${layer} imports only layers below it.` }],
      }],
    },
  }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      'max-params': ['error', 4],
    },
  },
  ...layerRules,
  {
    files: ['test/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] }],
    },
  },
  {
    files: ['src/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/transport/**', '**/protocols/**', '**/modem/**', '**/detect/**', '**/flash/**', '**/diagnose/**', '**/guard/**', '**/fleet/**', '**/cli/**'],
          message: 'DESIGN.md: the simulator shares no code with the host side; it may import only core/.',
        }],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
