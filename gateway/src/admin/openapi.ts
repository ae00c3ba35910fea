/**
 * The OpenAPI 3.1 document of the admin API (`GET /admin/openapi.json`),
 * generated from the zod schemas in api-schemas.ts that validate the requests
 * and describe the answers. `openapi.test.ts` checks it against the real routes.
 */
import { z } from 'zod';
import {
  auditAnswer, auditQuery, changeAnswer, changeSchema, errorSchema, flagValueSchema, routeModesSchema, flagBody, flagsAnswer, fleetSchema, healthAnswer, modeChangeBody, openApiAnswer, readinessSchema,
  rollbackBody, routeAnswer, routesAnswer, routesQuery, statsAnswer, guardAnswer, guardQuery, diffsQuery, diffsAnswer, diffAnswer, diffSchema, diffSummarySchema, comparisonsAnswer,
} from './api-schemas.ts';
import { progressAnswer, progressQuery, traceAnswer, tracesAnswer, tracesQuery } from './observability-schemas.ts';

type Json = Record<string, unknown>;

/** Named schemas, written once under components.schemas and referenced elsewhere (the test parses answers with them). */
export const COMPONENTS = {
  ModeChange: modeChangeBody, Rollback: rollbackBody, ChangeAnswer: changeAnswer, RoutesAnswer: routesAnswer, RouteAnswer: routeAnswer,
  AuditPage: auditAnswer, Fleet: fleetSchema, Readiness: readinessSchema, Error: errorSchema, FlagChange: flagBody, Flags: flagsAnswer,
  Stats: statsAnswer, Health: healthAnswer, OpenApi: openApiAnswer, AuditEntry: changeSchema, RouteModes: routeModesSchema, FlagValue: flagValueSchema, GuardStatus: guardAnswer,
  DiffPage: diffsAnswer, DiffAnswer: diffAnswer, Diff: diffSchema, DiffSummary: diffSummarySchema, Comparisons: comparisonsAnswer,
  Traces: tracesAnswer, Trace: traceAnswer, Progress: progressAnswer,
} as const satisfies Record<string, z.ZodType>;

const ref = (name: keyof typeof COMPONENTS): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ 'application/json': { schema } });
const answer = (description: string, name: keyof typeof COMPONENTS): Json => ({ description, content: json(ref(name)) });
const refusal = (description: string): Json => answer(description, 'Error');

function components(): Json {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}`, io: 'input' }) as { schemas: Record<string, Json> };
  for (const s of Object.values(schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  return schemas;
}

/** The query parameters of an object schema. */
function queryParameters(schema: z.ZodObject): Json[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const s = z.toJSONSchema(field as z.ZodType, { target: 'draft-2020-12', io: 'input' }) as Json;
    delete s.$schema;
    return { name, in: 'query', required: !(field as z.ZodType).safeParse(undefined).success, ...(s.description ? { description: s.description } : {}), schema: s };
  });
}

const routeIdParameter = { name: 'routeId', in: 'path', required: true, schema: { type: 'string' }, description: 'A catalogue route id, e.g. tracking.pixel' };
const ifMatch = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The revision read (e.g. "12"); a stale one is refused with 409' };
const WRITE_REFUSALS = {
  400: refusal('Bad body or header: GW_ERR_ADMIN_BAD_REQUEST, _UNKNOWN_MODE, _BAD_PERCENT, _PERCENT_NOT_CANARY, _ROUTE_LEGACY_ONLY'),
  401: refusal('No valid token: GW_ERR_ADMIN_UNAUTHORIZED'),
  403: refusal('A viewer token: GW_ERR_ADMIN_FORBIDDEN'),
  404: refusal('Unknown route or tenant: GW_ERR_ADMIN_UNKNOWN_ROUTE, GW_ERR_ADMIN_UNKNOWN_TENANT'),
  409: refusal('Stale If-Match (another change landed first): GW_ERR_ADMIN_VERSION_CONFLICT; or nothing to roll back'),
  503: refusal('The flag store cannot be reached: GW_ERR_FLAGS_STORE_UNAVAILABLE'),
};
const READ_REFUSALS = { 400: refusal('Bad query: GW_ERR_ADMIN_BAD_REQUEST'), 401: refusal('No valid token: GW_ERR_ADMIN_UNAUTHORIZED') };

/** Builds the document; the paths are the ones admin-app.ts and mode-routes.ts serve. */
export function buildOpenApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'Strangler gateway admin API', version: '1', description: 'Route modes across the fleet (gateway/README.md § Admin API).' },
    components: { schemas: components(), securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN, ADMIN_VIEWER_TOKEN or admin.tokens[]' } } },
    security: [{ token: [] }],
    paths: {
      '/readyz': { get: { summary: 'Readiness, the applied flag version and whether the store is reachable', security: [], responses: { 200: answer('Ready', 'Readiness'), 503: answer('Not ready', 'Readiness') } } },
      '/admin/routes': { get: { summary: 'Every route with its effective mode per tenant', parameters: queryParameters(routesQuery), responses: { 200: answer('Routes', 'RoutesAnswer'), ...READ_REFUSALS, 404: refusal('Unknown tenant') } } },
      '/admin/routes/{routeId}': { get: { summary: 'One route; ETag is the revision of the asked scope', parameters: [routeIdParameter, ...queryParameters(routesQuery)], responses: { 200: answer('The route', 'RouteAnswer'), ...READ_REFUSALS, 404: refusal('Unknown route or tenant') } } },
      '/admin/routes/{routeId}/mode': {
        put: {
          summary: 'Set the mode of a route, globally or for one tenant', parameters: [routeIdParameter, ifMatch],
          requestBody: { required: true, content: json(ref('ModeChange')) },
          responses: { 200: answer('The audit entry of the change', 'ChangeAnswer'), ...WRITE_REFUSALS, 412: refusal('The route\'s service does not serve it yet, or is not configured for the tenant: GW_ERR_ADMIN_ROUTE_NOT_SERVED, GW_ERR_ADMIN_SERVICE_NOT_CONFIGURED') },
        },
      },
      '/admin/routes/{routeId}/rollback': {
        post: { summary: 'Go back to the mode before the last change', parameters: [routeIdParameter, ifMatch], requestBody: { required: false, content: json(ref('Rollback')) }, responses: { 200: answer('The audit entry of the rollback', 'ChangeAnswer'), ...WRITE_REFUSALS } },
      },
      '/admin/audit': { get: { summary: 'Audit entries, newest first, paged', parameters: queryParameters(auditQuery), responses: { 200: answer('One page', 'AuditPage'), ...READ_REFUSALS, 503: refusal('The flag store cannot be reached') } } },
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: answer('The process runs', 'Health') } } },
      '/admin/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: answer('OpenAPI 3.1', 'OpenApi') } } },
      '/admin/stats': { get: { summary: 'Counters of this replica', responses: { 200: answer('Counters', 'Stats'), 401: READ_REFUSALS[401] } } },
      '/admin/flags': { get: { summary: 'The stored flags (older API; /admin/routes shows effective modes)', responses: { 200: answer('Flags', 'Flags'), 401: READ_REFUSALS[401] } } },
      '/admin/flags/{routeId}': {
        put: { summary: 'Set a flag (older API: no If-Match, why optional)', parameters: [routeIdParameter], requestBody: { required: true, content: json(ref('FlagChange')) }, responses: { 200: answer('The audit entry', 'ChangeAnswer'), ...WRITE_REFUSALS, 412: refusal('GW_ERR_ADMIN_ROUTE_NOT_SERVED, GW_ERR_ADMIN_SERVICE_NOT_CONFIGURED') } },
        delete: {
          summary: 'Remove a flag (older API)', parameters: [routeIdParameter, { name: 'tenant', in: 'query', required: false, schema: { type: 'string' } }, { name: 'why', in: 'query', required: false, schema: { type: 'string' } }],
          responses: { 200: answer('The audit entry', 'ChangeAnswer'), ...WRITE_REFUSALS, 404: refusal('Unknown route or tenant, or no such flag: GW_ERR_ADMIN_FLAG_NOT_FOUND') },
        },
      },
      '/admin/guard': {
        get: {
          summary: "The guard on this replica: its windows per route and tenant with their figures and thresholds, and its recent actions across the fleet",
          parameters: queryParameters(guardQuery), responses: { 200: answer('The guard', 'GuardStatus'), ...READ_REFUSALS, 404: refusal('Unknown route or tenant') },
        },
      },
      '/admin/diffs': {
        get: { summary: 'Diff records, newest first, paged; by route and tenant', parameters: queryParameters(diffsQuery), responses: { 200: answer('One page', 'DiffPage'), ...READ_REFUSALS, 404: refusal('Unknown route or tenant: GW_ERR_ADMIN_UNKNOWN_ROUTE, GW_ERR_ADMIN_UNKNOWN_TENANT'), 503: refusal('The diff store cannot be read: GW_ERR_DIFF_STORE_UNAVAILABLE') } },
      },
      '/admin/diffs/{routeId}/{id}': {
        get: {
          summary: 'One diff record with both responses, redacted',
          parameters: [routeIdParameter, { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The id GET /admin/diffs gave' }],
          responses: { 200: answer('The diff', 'DiffAnswer'), 401: READ_REFUSALS[401], 404: refusal('Unknown route, or no such diff: GW_ERR_ADMIN_UNKNOWN_ROUTE, GW_ERR_ADMIN_DIFF_NOT_FOUND'), 503: refusal('The diff store cannot be read: GW_ERR_DIFF_STORE_UNAVAILABLE') },
        },
      },
      '/admin/comparisons': { get: { summary: 'Shadow comparisons per route: compared, matched, mismatched, skipped by reason, latency per side', responses: { 200: answer('Counters of this replica', 'Comparisons'), 401: READ_REFUSALS[401] } } },
      '/metrics': { get: { summary: 'Prometheus metrics of this replica (text exposition format; gateway/README.md § Metrics)', security: [], responses: { 200: { description: 'Prometheus text', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
      '/admin/traces': {
        get: { summary: 'Recent traces kept in memory, newest first (no OTLP endpoint set)', parameters: queryParameters(tracesQuery), responses: { 200: answer('Traces', 'Traces'), ...READ_REFUSALS, 409: refusal('Traces go to an OTLP endpoint: GW_ERR_ADMIN_TRACES_EXPORTED') } },
      },
      '/admin/traces/{traceId}': {
        get: {
          summary: 'Every span of one trace kept in memory', parameters: [{ name: 'traceId', in: 'path', required: true, schema: { type: 'string' }, description: '32 hex digits' }],
          responses: { 200: answer('The trace', 'Trace'), ...READ_REFUSALS, 404: refusal('Not kept: GW_ERR_ADMIN_TRACE_NOT_FOUND'), 409: refusal('Traces go to an OTLP endpoint: GW_ERR_ADMIN_TRACES_EXPORTED') },
        },
      },
      '/admin/progress': { get: { summary: 'Migration progress per day, tenant and route: share answered by the new services, fallbacks', parameters: queryParameters(progressQuery), responses: { 200: answer('Progress', 'Progress'), ...READ_REFUSALS } } },
      '/admin/fleet': { get: { summary: 'Replicas, the version each applied, stragglers', responses: { 200: answer('The fleet', 'Fleet'), 401: READ_REFUSALS[401], 503: refusal('The flag store cannot be reached') } } },
    },
  };
}
