import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      'supabase/functions/',
      '**/__snapshots__/',
      '.cache/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      eqeqeq: ['error', 'always'],
    },
  },
  ...infraBoundaries(),
);

// Data flows one way in the Pulumi program: infra/index.ts reads the config and hands each
// component typed args, so a component folder imports only types from infra/config.ts; and
// infra/github (resources) and infra/workflows (what reads the workflow files) never import each other.
function infraBoundaries() {
  const configValues = {
    regex: '^(\\.\\./)+config$',
    allowTypeImports: true,
    message: 'a component takes typed args from infra/index.ts; import only types from config.ts',
  };
  const folder = (name) => ({
    regex: `^(\\.\\./)+${name}(/|$)`,
    message:
      'infra/github declares resources, infra/workflows reads the workflow files: neither imports the other',
  });
  const restrict = (files, ...patterns) => ({
    files,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  });
  return [
    // The offline plan, the workflow rules, the policy pack, the drift and health CLIs, the store
    // CLIs' stack reader and tests read the stacks' config: tools, not components.
    {
      ...restrict(['infra/*/**/*.ts'], configValues),
      ignores: [
        'infra/plan/**',
        'infra/workflows/**',
        'infra/policy/**',
        'infra/monitoring/**',
        'infra/extension/stack-store.ts',
        '**/*.test.ts',
      ],
    },
    restrict(['infra/github/**/*.ts'], configValues, folder('workflows')),
    restrict(['infra/workflows/**/*.ts'], folder('github')),
  ];
}
