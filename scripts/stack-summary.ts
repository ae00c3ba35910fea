/**
 * What `npm start` prints once the stack is up: the addresses, the admin token, the seeded
 * tenant (on every start: the seed is found again when it was made before) and what to try.
 */
import type { LocalStack } from './local-stack.ts';

/** The summary lines, joined; `stack` as `startLocalStack` returned it. */
export function stackSummary(stack: LocalStack): string {
  const gw = stack.gateway.publicUrl;
  const lines = [
    '',
    'Strangler local stack is up',
    `  gateway (public)   ${gw}`,
    `  gateway (admin)    ${stack.gateway.adminUrl}   token: ${stack.adminToken}`,
    stack.standin ? `  stand-in monolith  ${stack.standin.url}   database: ${stack.databaseUrl}` : '  legacy upstream    LEGACY_URL (no stand-in started)',
  ];
  if (stack.tracking) lines.push(`  tracking service   ${stack.tracking.url}`);
  if (stack.forms) lines.push(`  forms service      ${stack.forms.url}`);
  if (stack.sending) lines.push(`  sending service    ${stack.sending.url}`);
  const s = stack.seeded;
  if (s) {
    lines.push(
      `  seeded API user    ${s.credentials.username} / ${s.credentials.password}   (tenant "${s.tenant}", ${s.created ? 'seeded now' : 'seeded on an earlier start'})`,
      `  seeded ids         form "Contact us" ${s.forms.contactUs.id}, email "Welcome" ${s.emailIds.welcome}, contacts ${s.leadIds.join(', ')}`,
    );
  } else if (stack.seedProblem) lines.push(`  seeded API user    unknown: ${stack.seedProblem}`);
  else if (stack.standin) lines.push('  seeded API user    none: the database holds data the seed did not write, so it was left alone');
  lines.push(
    '',
    'Try it (README § Try it):',
    `  export ADMIN_TOKEN=${stack.adminToken}`,
    `  curl -s -o /dev/null -D - '${gw}/mtracking.gif?page_url=https://example.com/pricing'`,
    `  curl -s -H "Authorization: Bearer $ADMIN_TOKEN" ${stack.gateway.adminUrl}/admin/flags`,
    '',
  );
  return lines.join('\n');
}
