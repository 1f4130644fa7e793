// The allowed import directions between localforce's layers (docs/architecture.md draws them). `npm test` runs
// `npm run lint`, which runs this check: an import against an arrow fails the build.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: split the shared part out.',
      from: { path: '^src' },
      to: { circular: true },
    },
    {
      name: 'protocol-is-a-leaf',
      severity: 'error',
      comment: 'src/protocol renders and parses wire documents with no I/O: it imports nothing of ours.',
      from: { path: '^src/protocol' },
      to: { path: '^src', pathNot: '^src/protocol' },
    },
    {
      name: 'domain-never-imports-surfaces',
      severity: 'error',
      comment:
        'jobs, engine, org, soql, wire and store know nothing of HTTP: they never import api, server, http or cli.',
      from: { path: '^src/(jobs|engine|org|soql|wire|store)' },
      to: { path: '^src/(api|server|http|cli|config)' },
    },
    {
      name: 'store-imports-domain-only',
      severity: 'error',
      comment: 'store implements the ports of store/types.ts with domain types: it never reaches into the engine.',
      from: { path: '^src/store' },
      to: { path: '^src/engine' },
    },
    {
      name: 'domain-never-imports-storage-implementations',
      severity: 'error',
      comment:
        'Only engine (a worker opens its own stores), server and store itself reach a backend: the rest sees the ports.',
      from: { path: '^src/(jobs|org|soql|wire|api|protocol|http)' },
      to: { path: '^src/store/(sqlite|postgres)' },
    },
    {
      name: 'api-never-imports-server',
      severity: 'error',
      comment:
        'server wires the surfaces together; a surface never imports the server back (shared glue is in src/http).',
      from: { path: '^src/api' },
      to: { path: '^src/server' },
    },
    {
      name: 'surfaces-never-import-each-other',
      severity: 'error',
      comment: 'Each folder under src/api is one wire surface; what two share lives in src/http or src/protocol.',
      from: { path: '^src/api/([^/]+)/' },
      to: { path: '^src/api/([^/]+)/', pathNot: '^src/api/$1/' },
    },
    {
      name: 'production-never-imports-tests',
      severity: 'error',
      from: { path: '^src' },
      to: { path: '^(test|bench)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
