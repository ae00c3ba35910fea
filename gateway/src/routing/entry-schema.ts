/**
 * The zod schema of one catalogue entry (the shape of `RouteEntry`, routes/README.md).
 * Field-level rules live here; rules that relate two fields or two entries live in
 * validate-entries.ts so that every problem is reported, not only the first.
 */
import { z } from 'zod';
import { AREAS, HTTP_METHODS, NEW_UPSTREAM_NAMES, type RouteEntry } from '../model.ts';
import { comparisonRulesSchema } from './comparison-schema.ts';
import { isPatternProblem, parsePattern } from './pattern.ts';

/** `<word>.<name>`: lower-case words of letters, digits and `-`, joined by dots. */
const ROUTE_ID_RE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const GROUP_RE = /^[a-z][a-z0-9.-]*$/;
const MAUTIC_ROUTE_RE = /^[A-Za-z0-9_.*]+$/;
const REFERENCE_RE = /^§\d+(\.\d+)*$/;
/** Longest pattern accepted, in characters; far above any real Mautic route. */
const MAX_PATTERN_CHARS = 512;

const patternSchema = z
  .string()
  .max(MAX_PATTERN_CHARS)
  .superRefine((source, ctx) => {
    const parsed = parsePattern(source);
    if (isPatternProblem(parsed)) for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message });
  });

const methodsSchema = z.union(
  [
    z.literal('ANY'),
    z
      .array(z.enum(HTTP_METHODS))
      .min(1)
      .superRefine((methods, ctx) => {
        const seen = new Set<string>();
        for (const m of methods) {
          if (seen.has(m)) ctx.addIssue({ code: 'custom', message: `method ${m} is listed twice` });
          seen.add(m);
        }
      }),
  ],
  { error: `must be "ANY" or a non-empty list of ${HTTP_METHODS.join(', ')}` },
);

/** The schema of one entry; unknown keys are rejected. */
export const routeEntrySchema = z.strictObject({
  id: z.string().regex(ROUTE_ID_RE, 'must be lower-case words joined by dots, e.g. tracking.pixel'),
  area: z.enum(AREAS),
  methods: methodsSchema,
  paths: z
    .array(patternSchema)
    .min(1)
    .superRefine((paths, ctx) => {
      const seen = new Set<string>();
      for (const p of paths) {
        if (seen.has(p)) ctx.addIssue({ code: 'custom', message: `pattern "${p}" is listed twice` });
        seen.add(p);
      }
    }),
  upstream: z.enum(NEW_UPSTREAM_NAMES).nullable(),
  replayable: z.boolean(),
  journeyGroup: z.string().regex(GROUP_RE, 'must be lower-case letters, digits, "." and "-"').optional(),
  mauticRoutes: z.array(z.string().regex(MAUTIC_ROUTE_RE, 'must be a Mautic route name')).min(1),
  reference: z.string().regex(REFERENCE_RE, 'must be a section of docs/mautic/public-http.md, e.g. §3.2').optional(),
  comparison: comparisonRulesSchema.optional(),
  served: z.boolean().optional(),
  dryRun: z.boolean().optional(),
});

// Keeps the hand-written RouteEntry (what routes/*.ts import) and the schema in step:
// every parsed entry is a RouteEntry, and both name exactly the same fields.
type SchemaOutput = z.output<typeof routeEntrySchema>;
type FieldDrift = Exclude<keyof RouteEntry, keyof SchemaOutput> | Exclude<keyof SchemaOutput, keyof RouteEntry>;
const _noFieldDrift: [FieldDrift] extends [never] ? true : never = true;
const _outputIsEntry: (e: SchemaOutput) => RouteEntry = (e) => e;
void _noFieldDrift;
void _outputIsEntry;
