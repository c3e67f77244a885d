import next from 'eslint-config-next';

const config = [
  { ignores: ['.next/**', 'dist/**', 'node_modules/**', 'data/**', 'test-results/**', 'next-env.d.ts'] },
  ...next,
  {
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**', '@/server/*'], message: 'components/ and lib/ never import server/.' }] },
      ],
    },
    files: ['components/**/*.{ts,tsx}', 'lib/**/*.ts'],
  },
];

export default config;
