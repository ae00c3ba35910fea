/**
 * Renders the route table of routes/README.md from the catalogue data, so a test
 * can keep the README and the data in step.
 *
 * Regenerate the README table after changing routes/ with:
 * `npx node -e "import('./gateway/test/support/catalogue-table.ts').then(m => console.log(m.renderCatalogueTable()))"`
 */
import { ROUTE_ENTRIES } from '../../../routes/index.ts';
import type { RouteEntry } from '../../src/model.ts';

/** Markers around the generated table in routes/README.md. */
export const TABLE_START = '<!-- catalogue-table:start -->';
export const TABLE_END = '<!-- catalogue-table:end -->';

const HEADER = [
  '| id | methods | path patterns | area | upstream | replayable | journey group | Mautic route(s) |',
  '|---|---|---|---|---|---|---|---|',
];

/**
 * The markdown table of every entry, one row per route, in catalogue order.
 *
 * @param entries - catalogue data; defaults to routes/.
 */
export function renderCatalogueTable(entries: readonly RouteEntry[] = ROUTE_ENTRIES): string {
  return [...HEADER, ...entries.map(renderRow)].join('\n');
}

function renderRow(entry: RouteEntry): string {
  const cells = [
    code(entry.id),
    entry.methods === 'ANY' ? 'any' : entry.methods.join(', '),
    entry.paths.map(code).join('<br>'),
    entry.area,
    entry.upstream ?? '—',
    entry.replayable ? 'yes' : 'no',
    entry.journeyGroup === undefined ? '(own id)' : code(entry.journeyGroup),
    entry.mauticRoutes.map(code).join('<br>'),
  ];
  return `| ${cells.join(' | ')} |`;
}

function code(text: string): string {
  return `\`${text}\``;
}
