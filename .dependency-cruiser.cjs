/**
 * Who may import whom: the "must not import" lines of the folder READMEs, as
 * rules that `npm run lint:deps` (part of `npm test`) checks. A violation
 * prints the rule's name and the offending import, and fails the run.
 *
 * Each rule's name says the README it comes from; change a rule and its README
 * line together. Test code (TEST below) gets looser folder rules where the
 * READMEs say so, never the cross-part ones (stand-in, services, routes, bench,
 * cycles).
 * @type {import('dependency-cruiser').IConfiguration}
 */

/**
 * Test code: suites, their helpers and fixtures, `test/` folders, and the contract suite that runs
 * the same cases against the stand-in and a service. Nothing at runtime imports it.
 */
const TEST = '(\\.test\\.ts$|(^|/)test/|^test-support/|^extracted-services/contract/|/test-fixtures/|-test-kit\\.ts$|\\.fixtures\\.ts$)';
const GW = '^gateway/src/';
const LA = '^legacy-adapter/src/';

/** A rule over runtime code only: `from` excludes TEST. */
function runtime(name, comment, fromPath, to) {
  return { name, comment, severity: 'error', from: { path: fromPath, pathNot: TEST }, to };
}
/** A rule over every file, tests included. */
function always(name, comment, from, to) {
  return { name, comment, severity: 'error', from, to };
}

module.exports = {
  forbidden: [
    // --- everywhere -----------------------------------------------------------------------------
    always('no-circular', 'No import cycles, between files or through type imports.', {}, { circular: true }),
    runtime('test-code-only-in-tests', 'test-support/README.md, gateway/test/README.md: nothing at runtime imports test code.', '.', { path: TEST }),

    // --- the model and routes/ ------------------------------------------------------------------
    always('model-imports-nothing', 'gateway/README.md: model.ts imports nothing else of the project.', { path: `${GW}model\\.ts$` }, { pathNot: '^node_modules/', dependencyTypesNot: ['core'] }),
    always('routes-is-data', 'routes/README.md: routes/ imports only its own files and the model.', { path: '^routes/' }, { pathNot: ['^routes/', `${GW}model\\.ts$`] }),
    always('routes-import-model-types-only', 'routes/README.md: the model is imported with `import type` only.', { path: '^routes/' }, { path: `${GW}model\\.ts$`, dependencyTypesNot: ['type-only'] }),

    // --- gateway/: the parts around it ----------------------------------------------------------
    always('gateway-not-standin-or-services', 'gateway/README.md: the gateway never imports the stand-in or extracted-services/.', { path: '^gateway/' }, { path: [`${LA}standin/`, '^extracted-services/'] }),
    runtime('gateway-uses-mautic-facts-only', 'gateway/README.md: of legacy-adapter, the gateway uses only the pure Mautic facts (codecs/, forwarding/), never the database, data or mail layers.', '^gateway/', { path: LA, pathNot: `${LA}(codecs|forwarding|standin)/` }),

    // --- gateway/src/: one rule per folder README ------------------------------------------------
    always('gateway-errors-imports-nothing', 'gateway/README.md: errors.ts imports nothing of the project, so every part may use it.', { path: `${GW}errors\\.ts$` }, { pathNot: '^node_modules/', dependencyTypesNot: ['core'] }),
    runtime('gateway-config-imports-only-model', 'gateway/src/config/README.md: config/ imports nothing else of gateway/src/ but the model.', `${GW}config/`, { path: GW, pathNot: [`${GW}config/`, `${GW}model\\.ts$`] }),
    runtime('gateway-flags-not-pipeline-server-admin', 'gateway/src/flags/README.md', `${GW}flags/`, { path: `${GW}(pipeline|server|admin)/` }),
    runtime('gateway-tenants-not-pipeline-upstream', 'gateway/src/tenants/README.md', `${GW}tenants/`, { path: `${GW}(pipeline|upstream)/` }),
    runtime('gateway-pipeline-not-admin-express', 'gateway/src/pipeline/README.md', `${GW}pipeline/`, { path: [`${GW}admin/`, '^node_modules/express/'] }),
    runtime('gateway-server-not-pipeline-admin-express', 'gateway/src/server/README.md: the pipeline uses the server, not the other way.', `${GW}server/`, { path: [`${GW}(pipeline|admin)/`, '^node_modules/express/'] }),
    runtime('gateway-guard-not-pipeline-server-admin', 'gateway/src/guard/README.md: the pipeline feeds the guard and admin/ reads it, not the other way.', `${GW}guard/`, { path: `${GW}(pipeline|server|admin|upstream|observability)/` }),
    runtime('gateway-admin-not-server-pipeline', 'gateway/src/admin/README.md', `${GW}admin/`, { path: `${GW}(server|pipeline)/` }),
    runtime('gateway-cli-speaks-http-only', 'gateway/src/cli/README.md: the CLI talks to the admin API over HTTP; it imports nothing else of gateway/src/.', `${GW}cli/`, { path: GW, pathNot: `${GW}cli/` }),
    runtime('gateway-observability-imports-nothing', 'gateway/src/observability/README.md: nothing else of gateway/src/.', `${GW}observability/`, { path: GW, pathNot: `${GW}observability/` }),
    runtime('gateway-routing-is-pure', 'gateway/src/routing/README.md: only the model, errors.ts and routes/; no I/O.', `${GW}routing/`, { path: [GW, '^legacy-adapter/'], pathNot: [`${GW}routing/`, `${GW}model\\.ts$`, `${GW}errors\\.ts$`] }),
    runtime('gateway-routing-no-io', 'gateway/src/routing/README.md: pure, no I/O modules.', `${GW}routing/`, { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|net|http|https|http2|dgram|dns|tls|child_process|worker_threads|cluster)$' }),
    runtime('gateway-compare-is-a-leaf', 'gateway/src/compare/README.md: the pipeline and the admin API use the comparison, not the other way; of config/, only schema.ts.', `${GW}compare/`, { path: [`${GW}(pipeline|server|admin|flags|upstream|tenants|routing|observability)/`, `${GW}config/(?!schema\\.ts$)`] }),
    runtime('gateway-upstream-not-pipeline-flags-server-admin', 'gateway/src/upstream/README.md: the arrows go the other way.', `${GW}upstream/`, { path: `${GW}(pipeline|flags|server|admin|tenants|routing|observability)/` }),
    runtime('gateway-upstream-config-schema-only', 'gateway/src/upstream/README.md: of config/, only the defaults in schema.ts.', `${GW}upstream/`, { path: `${GW}config/`, pathNot: `${GW}config/schema\\.ts$` }),

    // --- legacy-adapter/ ------------------------------------------------------------------------
    always('legacy-adapter-not-gateway-services', 'legacy-adapter/README.md', { path: '^legacy-adapter/' }, { path: ['^gateway/', '^extracted-services/'] }),
    runtime('legacy-adapter-codecs-node-only', 'legacy-adapter/src/codecs/README.md: no imports outside Node.', `${LA}codecs/`, { pathNot: [`${LA}codecs/`, '^node_modules/'], dependencyTypesNot: ['core'] }),
    runtime('legacy-adapter-forwarding-node-and-codecs-only', 'legacy-adapter/src/forwarding/README.md: nothing but Node and ../codecs (pure Mautic facts it builds on).', `${LA}forwarding/`, { pathNot: [`${LA}(forwarding|codecs)/`, '^node_modules/'], dependencyTypesNot: ['core'] }),
    runtime('legacy-adapter-data-on-db-codecs', 'legacy-adapter/src/data/README.md: builds on db/ and codecs/ only.', `${LA}data/`, { path: LA, pathNot: `${LA}(data|db|codecs)/` }),
    runtime('legacy-adapter-db-imports-nothing', 'legacy-adapter/src/db/README.md: db/ depends on nothing of the project; data/ and seed/ build on it.', `${LA}db/`, { path: '^(gateway|routes|legacy-adapter|extracted-services|scripts|test-support)/', pathNot: `${LA}db/` }),
    runtime('legacy-adapter-seed-on-db-data-codecs', 'legacy-adapter/src/seed/README.md: the seed builds on db/, data/ and codecs/ only.', `${LA}seed/`, { path: LA, pathNot: `${LA}(seed|db|data|codecs)/` }),
    runtime('legacy-adapter-mail-knows-no-tables', 'legacy-adapter/src/mail/README.md: not standin/, extracted-services/, gateway/; knows nothing about Mautic tables.', `${LA}mail/`, { path: [`${LA}(standin|db|data)/`, '^extracted-services/', '^gateway/'] }),
    always('standin-not-gateway-services', 'legacy-adapter/src/standin/README.md', { path: `${LA}standin/` }, { path: ['^gateway/', '^extracted-services/'] }),
    runtime('standin-only-run-by-scripts', 'legacy-adapter/src/standin/README.md: nothing outside the stand-in imports it, except scripts/ (npm start, npm run serve). gateway/ and extracted-services/ have their own rules.', `^(?!${LA.slice(1)}standin/|scripts/|gateway/|extracted-services/)`, { path: `${LA}standin/` }),
    runtime('standin-forms-not-sending', 'legacy-adapter/src/standin/forms/README.md: no handler code of ../sending.', `${LA}standin/forms/`, { path: `${LA}standin/sending/` }),
    runtime('standin-sending-not-forms', 'legacy-adapter/src/standin/sending/README.md: of ../forms only the address check in field-rules.ts.', `${LA}standin/sending/`, { path: `${LA}standin/forms/`, pathNot: `${LA}standin/forms/field-rules\\.ts$` }),

    // --- extracted-services/ --------------------------------------------------------------------
    always('services-not-gateway', 'docs/style.md §1, legacy-adapter/README.md: extracted-services/ never import gateway/.', { path: '^extracted-services/' }, { path: '^gateway/' }),
    runtime('services-not-standin', 'legacy-adapter/README.md: the stand-in is the reference the services are compared with; no handler code shared. Their tests and the contract suite start it to compare.', '^extracted-services/', { path: `${LA}standin/` }),
    always('services-not-each-other', "extracted-services/README.md: a service never imports another service's folder; what services share lives in service-kit/. contract/ runs them all and may; a service may use the contract's test fixtures.", { path: '^extracted-services/([^/]+)/', pathNot: '^extracted-services/(contract|service-kit)/' }, { path: '^extracted-services/[^/]+/', pathNot: '^extracted-services/($1|service-kit|contract)/' }),
    always('service-kit-imports-no-service', 'extracted-services/service-kit/README.md: service-kit knows no service; the services import it.', { path: '^extracted-services/service-kit/' }, { path: '^extracted-services/', pathNot: '^extracted-services/service-kit/' }),
    runtime('services-use-mautic-layer-only', 'legacy-adapter/README.md: of legacy-adapter, db/, data/, codecs/, mail/, forwarding/ and http/.', '^extracted-services/', { path: LA, pathNot: `${LA}(db|data|codecs|mail|forwarding|http|standin)/` }),

    // --- bench/ ---------------------------------------------------------------------------------
    always('bench-imports-nothing-of-project', 'bench/README.md: it runs the gateway as its container does.', { path: '^bench/' }, { pathNot: ['^bench/', '^node_modules/'], dependencyTypesNot: ['core'] }),
    always('nothing-imports-bench', 'bench/README.md', { pathNot: '^bench/' }, { path: '^bench/' }),
  ],
  options: {
    exclude: { path: '(^|/)(dist|var|coverage)/|^bench/out/' },
    doNotFollow: { path: '^node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
