/** Every tracking contract case, in the order they run. */
import type { ContractCase } from '../contract-case.ts';
import { BAD_INPUT_CASES } from './bad-input.cases.ts';
import { CLICK_CASES } from './click.cases.ts';
import { EMAIL_OPEN_CASES } from './email-open.cases.ts';
import { PAGE_VIEW_CASES } from './page-view.cases.ts';

export const TRACKING_CASES: readonly ContractCase[] = [...PAGE_VIEW_CASES, ...CLICK_CASES, ...EMAIL_OPEN_CASES, ...BAD_INPUT_CASES];
