import { createFormResultsTableFor } from '../../data/form-results.ts';
import { insertForm, insertFormField, type Form as FormRow, type FormField as FieldRow } from '../../data/forms.ts';
import type { Writable } from '../../data/contacts.ts';
import type { Db } from '../../db/types.ts';

/**
 * Forms the forms tests submit to, written through the forms repository as
 * Mautic's form builder would save them (results tables included).
 */

export const SITE_URL = 'https://m.example.com';

/** Ids of the seeded forms. */
export interface FormsSeed {
  contact: number;
  redirect: number;
  giveBack: number;
  unpublished: number;
  pending: number;
  expired: number;
}

type FieldSpec = Writable<FieldRow> & Pick<FieldRow, 'label' | 'alias' | 'type'>;

const CONTACT_FIELDS: FieldSpec[] = [
  { label: 'Email', alias: 'email', type: 'email', is_required: true, mapped_object: 'contact', mapped_field: 'email' },
  { label: 'First name', alias: 'first_name', type: 'text', mapped_object: 'contact', mapped_field: 'firstname' },
  { label: 'Interests', alias: 'interests', type: 'checkboxgrp', properties: { list: { list: [{ label: 'A', value: 'a' }, { label: 'B', value: 'b' }] } } },
  { label: 'Country', alias: 'country', type: 'select', properties: { list: { list: [{ label: 'France', value: 'FR' }] } } },
  { label: 'Website', alias: 'website', type: 'url' },
  { label: 'Leave empty', alias: 'hp', type: 'captcha', properties: { captcha: '' } },
  { label: 'Source', alias: 'src', type: 'hidden' },
  { label: 'Submit', alias: 'submit', type: 'button' },
];

async function form(db: Db, values: Writable<FormRow> & { name: string; alias: string }, fields: FieldSpec[] = CONTACT_FIELDS): Promise<number> {
  const id = await insertForm(db, values);
  let order = 1;
  for (const field of fields) await insertFormField(db, { form_id: id, field_order: order++, ...field });
  await createFormResultsTableFor(db, id);
  return id;
}

/** Seeds every form the tests use. */
export async function seedForms(db: Db): Promise<FormsSeed> {
  const email: FieldSpec[] = [CONTACT_FIELDS[0]!];
  return {
    contact: await form(db, { name: 'Contact us', alias: 'contactus', post_action: 'message', post_action_property: 'Thanks for contacting us!' }),
    redirect: await form(db, { name: 'Go shop', alias: 'goshop', post_action: 'redirect', post_action_property: 'https://shop.test/thanks?email={formfield=email}&lead={contactfield=id}' }, email),
    giveBack: await form(db, { name: 'Return', alias: 'returnform', post_action: 'return', post_action_property: 'Welcome back' }, email),
    unpublished: await form(db, { name: 'Old', alias: 'old', is_published: false }, email),
    pending: await form(db, { name: 'Soon', alias: 'soon', publish_up: '2999-01-01 09:30:00' }, email),
    expired: await form(db, { name: 'Gone', alias: 'gone', publish_down: '2001-02-03 16:05:00' }, email),
  };
}
