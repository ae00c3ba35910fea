/** Every form contract case, in the order they run. */
import type { ContractCase } from '../contract-case.ts';
import { ACTION_CASES } from './actions.cases.ts';
import { BAD_INPUT_CASES } from './bad-input.cases.ts';
import { CONTACT_CASES } from './contacts.cases.ts';
import { MESSAGE_CASES } from './message.cases.ts';
import { OPTION_CASES } from './options.cases.ts';
import { PAGE_LINK_CASES } from './page-link.cases.ts';
import { PROGRESSIVE_PROFILING_CASES } from './progressive-profiling.cases.ts';
import { SUBMIT_MODE_CASES } from './submit-modes.cases.ts';
import { UPLOAD_CASES } from './uploads.cases.ts';
import { VALIDATION_CASES } from './validation.cases.ts';

export const FORM_CASES: readonly ContractCase[] = [...SUBMIT_MODE_CASES, ...MESSAGE_CASES, ...PAGE_LINK_CASES, ...CONTACT_CASES, ...ACTION_CASES, ...VALIDATION_CASES, ...OPTION_CASES, ...PROGRESSIVE_PROFILING_CASES, ...UPLOAD_CASES, ...BAD_INPUT_CASES];
