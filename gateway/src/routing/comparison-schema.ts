/**
 * The zod schema of a route's comparison rules (`ComparisonRules` in the model;
 * routes/README.md, "Comparison rules"). Every problem is reported with its path
 * inside the entry, e.g. `comparison.json.ignore[2]: …`.
 */
import { z } from 'zod';
import type { ComparisonRules } from '../model.ts';

/** An HTTP field name (RFC 9110 §5.1 token), written lower-case. */
const HEADER_NAME_RE = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
/** A cookie name (RFC 6265 token). */
const COOKIE_NAME_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** A PHP query parameter name as `parse_str` leaves it at the top level (no brackets). */
const PARAM_NAME_RE = /^[^\s[\]&=#]+$/;
/** Keys joined by `.`; `*` stands for any one key or index. */
const JSON_PATH_RE = /^[^.\s]+(\.[^.\s]+)*$/;
/** Headers with their own rules, never in `headers`. */
const OWN_RULES: Readonly<Record<string, string>> = { 'set-cookie': 'comparison.cookies', location: 'comparison.location' };

/** Longest pattern or name accepted, in characters. */
const MAX_TEXT_CHARS = 256;

/** A list with no item twice. */
function uniqueList<T extends z.ZodType<string>>(item: T) {
  return z.array(item).superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((value, index) => {
      if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [index], message: `"${value}" is listed twice` });
      seen.add(value);
    });
  });
}

/** Problem with a regular expression source, or undefined when it compiles and never matches empty text. */
function regexProblem(source: string): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(source);
  } catch (err) {
    return `is not a valid regular expression (${(err as Error).message})`;
  }
  return re.test('') ? 'must not match empty text' : undefined;
}

const regexSource = z
  .string()
  .min(1)
  .max(MAX_TEXT_CHARS)
  .superRefine((source, ctx) => {
    const problem = regexProblem(source);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const headerName = z
  .string()
  .regex(HEADER_NAME_RE, 'must be a lower-case header name')
  .refine((name) => !(name in OWN_RULES), { error: (issue) => `is compared by ${OWN_RULES[issue.input as string]}, not by headers` });

const cookieNameOrPattern = z
  .string()
  .min(1)
  .max(MAX_TEXT_CHARS)
  .superRefine((value, ctx) => {
    if (value.startsWith('^')) {
      const problem = value.endsWith('$') ? regexProblem(value) : 'a pattern must end with "$"';
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    } else if (!COOKIE_NAME_RE.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a cookie name, or a regular expression written ^…$' });
    }
  });

const jsonPath = z.string().max(MAX_TEXT_CHARS).regex(JSON_PATH_RE, 'must be keys joined by "." (e.g. errors.*.message)');

const cookiesSchema = z.strictObject({
  ignoreValueOf: uniqueList(cookieNameOrPattern),
  expiresToleranceSeconds: z.number().int().min(0).max(86_400),
});

const locationSchema = z.strictObject({
  ignoreParams: uniqueList(z.string().max(MAX_TEXT_CHARS).regex(PARAM_NAME_RE, 'must be a query parameter name without brackets')),
});

const jsonSchema = z.strictObject({
  ignore: uniqueList(jsonPath),
  numbers: z.array(z.strictObject({ path: jsonPath, delta: z.number().min(0).max(Number.MAX_SAFE_INTEGER) })),
  times: z.array(z.strictObject({ path: jsonPath, toleranceMs: z.number().int().min(0).max(86_400_000) })),
});

const htmlSchema = z.strictObject({ ignore: uniqueList(regexSource) });

/** The schema of `comparison` in a catalogue entry; unknown keys are rejected. */
export const comparisonRulesSchema = z.strictObject({
  headers: uniqueList(headerName),
  cookies: cookiesSchema,
  location: locationSchema,
  json: jsonSchema,
  html: htmlSchema,
});

// The model's hand-written type and the schema must not drift apart.
const _outputIsRules: (r: z.output<typeof comparisonRulesSchema>) => ComparisonRules = (r) => r;
void _outputIsRules;
