import { listLeadFields } from './lead-fields.ts';
import { LEADS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';

/**
 * Turns mapped form values into `leads` column values (docs/mautic/public-http.md
 * §4.2 "Mapping"): only columns that exist, converted to the column's kind,
 * VARCHAR values cut to their length so an over-long answer never fails the
 * insert (the full text stays in the results table).
 */

/** Values split into known `leads` columns and custom-field columns. */
export interface LeadValues {
  columns: Record<string, string | number>;
  custom: Record<string, string | number>;
}

const COLUMN_BY_NAME = new Map(LEADS.columns.filter((c) => !c.generated).map((c) => [c.name, c]));
/** Columns a form must never write, whatever its mapping says. */
const PROTECTED = new Set(['id', 'owner_id', 'stage_id', 'points', 'internal', 'social_cache', 'date_added', 'date_modified', 'created_by', 'modified_by', 'is_published']);
/** Length of custom text columns, whose definition is not in the schema (Mautic's VARCHAR(191) default). */
const CUSTOM_MAX_LENGTH = 191;

function convert(kind: string, type: string, value: string): string | number | undefined {
  if (kind === 'int') return /^-?\d+$/.test(value) ? Number(value) : undefined;
  if (kind === 'float') return Number.isFinite(Number(value)) && value.trim() !== '' ? Number(value) : undefined;
  if (kind === 'datetime') return /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(value) ? value : undefined;
  if (kind === 'bool') return value === '1' || value === '0' ? Number(value) : undefined;
  const length = /^VARCHAR\((\d+)\)$/.exec(type)?.[1];
  return length ? value.slice(0, Number(length)) : value;
}

/** Aliases of published custom `lead` fields (columns added at runtime). */
async function customAliases(db: Db): Promise<Set<string>> {
  const published = (await listLeadFields(db, 'lead')).filter((f) => f.is_published);
  return new Set(published.map((f) => f.alias).filter((alias) => !COLUMN_BY_NAME.has(alias) && /^[a-z][a-z0-9_]{0,63}$/.test(alias)));
}

/** Builds the values to write from `contactValues` (lead_fields alias → cleaned form value). */
export async function toLeadValues(db: Db, contactValues: Record<string, string>): Promise<LeadValues> {
  const result: LeadValues = { columns: {}, custom: {} };
  const entries = Object.entries(contactValues).filter(([alias]) => !PROTECTED.has(alias));
  const custom = entries.some(([alias]) => !COLUMN_BY_NAME.has(alias)) ? await customAliases(db) : new Set<string>();
  // Values stay as filtered (`O&#39;Brien`): Mautic maps the cleaned submission data onto the contact.
  for (const [alias, value] of entries) {
    const column = COLUMN_BY_NAME.get(alias);
    if (column) {
      const converted = convert(column.kind, column.type, value);
      if (converted !== undefined) result.columns[alias] = converted;
    } else if (custom.has(alias)) {
      result.custom[alias] = value.slice(0, CUSTOM_MAX_LENGTH);
    }
  }
  return result;
}

/** Aliases of the unique-identifier contact fields (`is_unique_identifer`), `email` when none is flagged. */
export async function uniqueIdentifierAliases(db: Db): Promise<string[]> {
  const identifiers = (await listLeadFields(db, 'lead')).filter((f) => f.is_published && f.is_unique_identifer === true);
  const aliases = identifiers.map((f) => f.alias).filter((a) => /^[a-z][a-z0-9_]{0,63}$/.test(a));
  return aliases.length > 0 ? aliases : ['email'];
}
