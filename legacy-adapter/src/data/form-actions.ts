import { FORM_ACTIONS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import { insertRow, selectRows } from './table-access.ts';

/** A `form_actions` row: what runs after a submission is saved; `properties` unserialized. */
export interface FormAction {
  id: number;
  form_id: number;
  name: string;
  description: string | null;
  /** e.g. `lead.changetags`, `lead.pointschange`, `lead.changelist`, `lead.addtocompany`. */
  type: string;
  action_order: number;
  properties: unknown;
}

/** Inserts an action (order 0, no properties unless given). @returns its id. */
export function insertFormAction(db: Db, values: Partial<Omit<FormAction, 'id'>> & Pick<FormAction, 'form_id' | 'name' | 'type'>): Promise<number> {
  return insertRow(db, FORM_ACTIONS, { action_order: 0, properties: [], ...values });
}

/** A form's actions in the order they run (`action_order`, then id). */
export function listFormActions(db: Db, formId: number): Promise<FormAction[]> {
  return selectRows<FormAction>(db, FORM_ACTIONS, { form_id: formId }, 'ORDER BY action_order, id');
}
