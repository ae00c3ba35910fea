/** Every form contract case, in the order they run. */
import type { ContractCase } from '../contract-case.ts';
import { SUBMIT_MODE_CASES } from './submit-modes.cases.ts';

export const FORM_CASES: readonly ContractCase[] = [...SUBMIT_MODE_CASES];
