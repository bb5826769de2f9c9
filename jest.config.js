// Two projects: pure unit specs beside the code, and e2e specs under test/ that boot
// the real module graph (against DATABASE_URL / REDIS_URL when set, embedded otherwise).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
  },
];
const moduleNameMapper = { '^@app/(.*)$': '<rootDir>/libs/$1/src' };
// Node >= 20.19 can require() an ES module; Jest's module loader cannot, so the few ESM-only
// dependencies (reached through @fastify/static, which serves the OpenAPI UI) are compiled to CommonJS.
const esmOnly = ['content-disposition'];
const esmToCjs = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/libs', '<rootDir>/apps'],
      testRegex: '\\.spec\\.ts$',
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testRegex: '\\.e2e-spec\\.ts$',
      transform: { '^.+\\.ts$': swc, '^.+\\.js$': esmToCjs },
      transformIgnorePatterns: [`^(?!.*/node_modules/(${esmOnly.join('|')})/).*/node_modules/`],
      moduleNameMapper,
    },
  ],
};
