// The layer rules of lib/ (CONTRIBUTING.md, "Layers"), checked by `npm test`: every import points
// down this list or stays in its own folder, and nothing is part of an import cycle. A folder may
// not import a sibling of the same rank either, so folders can never form a cycle.
/** Top to bottom. Folders on one line share a rank: neither may import the other. */
const LAYERS = [
  ['functions'],
  ['lib/wiring', 'lib/openapi', 'lib/admin'],
  ['lib/routes', 'lib/compat'],
  ['lib/pages'],
  ['lib/http'],
  ['lib/use-cases'],
  ['lib/auth', 'lib/abuse'],
  ['lib/tokens', 'lib/passwords', 'lib/mfa'],
  ['lib/store', 'lib/mail', 'lib/events', 'lib/migration'],
  ['lib/aws'],
  ['lib/config'],
  ['lib/domain'],
  ['lib/support'],
];

const asPattern = (folder) => folder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const below = (rank) => LAYERS.slice(rank + 1).flat();

const layerRules = LAYERS.flatMap((folders, rank) =>
  folders.map((folder) => ({
    name: `layer:${folder}`,
    comment: `${folder} may import only its own folder and the layers below it: ${below(rank).join(', ') || 'none'}.`,
    severity: 'error',
    from: { path: `^${asPattern(folder)}/` },
    to: {
      path: '^(functions|lib)/',
      pathNot: [`^${asPattern(folder)}/`, ...below(rank).map((lower) => `^${asPattern(lower)}/`)],
    },
  })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle means two files (or folders) cannot be understood, tested or loaded apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unlayered-lib',
      comment: 'Every file in lib/ belongs to a layer folder listed in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^lib/[^/]+$', pathNot: '\\.d\\.ts$' },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.esbuild[^/]*|\\.serverless)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs'] },
  },
};
