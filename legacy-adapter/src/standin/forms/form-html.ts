import { escapeHtml } from '../../codecs/php-text.ts';
import type { Form, FormField } from '../../data/form-definition.ts';

/**
 * The markup of a form (docs/mautic/public-http.md §4.1 "Form markup"), used by
 * `/form/{id}`, `/form/embed/{id}` and `/form/generate.js`. A form's stored
 * `cached_html` wins, as in Mautic; otherwise a plain rendering keeps the
 * names, ids and hidden inputs that `mautic-form.js` and the submit endpoint
 * rely on. Themes and styling are out of scope.
 */

/** `Form::generateFormName`: lower-case alphanumerics of the name, or `form-{id}`. */
export function generateFormName(form: Pick<Form, 'id' | 'name'>): string {
  const name = form.name.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return name === '' ? `form-${form.id}` : name;
}

function options(field: FormField): { label: string; value: string }[] {
  const list = (field.properties.list ?? field.properties.optionlist) as unknown;
  const raw = list && typeof list === 'object' && 'list' in (list as object) ? (list as { list: unknown }).list : list;
  const entries = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : [];
  return entries.map((entry) =>
    entry && typeof entry === 'object'
      ? { label: String((entry as Record<string, unknown>).label ?? ''), value: String((entry as Record<string, unknown>).value ?? '') }
      : { label: String(entry), value: String(entry) },
  );
}

function input(field: FormField, formName: string): string {
  const id = `mauticform_input_${formName}_${field.alias}`;
  const name = `mauticform[${field.alias}]`;
  const value = escapeHtml(field.defaultValue);
  switch (field.type) {
    case 'textarea':
      return `<textarea id="${id}" name="${name}" class="mauticform-textarea">${value}</textarea>`;
    case 'select': {
      const multiple = field.properties.multiple ? ' multiple="multiple"' : '';
      const opts = options(field).map((o) => `<option value="${escapeHtml(o.value)}">${escapeHtml(o.label)}</option>`).join('');
      return `<select id="${id}" name="${name}${multiple ? '[]' : ''}"${multiple} class="mauticform-selectbox">${opts}</select>`;
    }
    case 'checkboxgrp':
    case 'radiogrp': {
      const type = field.type === 'checkboxgrp' ? 'checkbox' : 'radio';
      const suffix = type === 'checkbox' ? '[]' : '';
      return options(field)
        .map((o, n) => `<label id="mauticform_${type}_${type === 'checkbox' ? 'checkboxgrp' : 'radiogrp'}_label_${field.alias}_${n}"><input type="${type}" name="${name}${suffix}" value="${escapeHtml(o.value)}" /> ${escapeHtml(o.label)}</label>`)
        .join('');
    }
    case 'button':
      return `<button type="submit" name="${name}" id="${id}" value="1" class="mauticform-button btn btn-default">${escapeHtml(field.label)}</button>`;
    case 'freetext':
    case 'freehtml':
      return `<div id="${id}" class="mauticform-freetext">${String(field.properties.text ?? '')}</div>`;
    default: {
      const type = field.type === 'captcha' ? 'text' : ['email', 'tel', 'url', 'number', 'date', 'hidden', 'password'].includes(field.type) ? field.type : 'text';
      return `<input id="${id}" name="${name}" value="${value}" class="mauticform-input" type="${type}" />`;
    }
  }
}

function fieldRow(field: FormField, formName: string): string {
  const honeypot = field.type === 'captcha' && String(field.properties.captcha ?? '') === '';
  const style = honeypot || field.type === 'hidden' ? ' style="display:none;"' : '';
  const label = field.showLabel && !['button', 'hidden', 'freetext', 'freehtml'].includes(field.type)
    ? `<label id="mauticform_label_${formName}_${field.alias}" for="mauticform_input_${formName}_${field.alias}" class="mauticform-label">${escapeHtml(field.label)}</label>`
    : '';
  const required = field.isRequired ? ' mauticform-required' : '';
  const help = field.helpMessage ? `<span class="mauticform-helpmessage">${escapeHtml(field.helpMessage)}</span>` : '';
  return `<div id="mauticform_${formName}_${field.alias}" class="mauticform-row mauticform-${field.type}${required}"${style}>${label}${help}${input(field, formName)}<span class="mauticform-errormsg" style="display:none;"></span></div>`;
}

/**
 * The form's HTML: `cached_html` when stored, else a rendering with Mautic's
 * element ids and the hidden `formId`, `return` and `formName` inputs.
 *
 * @param siteUrl - `site_url`; the action is `<site>/form/submit?formId=<id>`
 */
export function renderFormHtml(form: Form, siteUrl: string): string {
  if (form.cachedHtml) return form.cachedHtml;
  const name = generateFormName(form);
  const rows = [...form.fields].sort((a, b) => a.order - b.order).map((f) => fieldRow(f, name)).join('');
  return [
    `<div id="mauticform_wrapper_${name}" class="mauticform_wrapper">`,
    `<form autocomplete="false" role="form" method="post" action="${siteUrl}/form/submit?formId=${form.id}" id="mauticform_${name}" data-mautic-form="${name}" enctype="multipart/form-data">`,
    `<div class="mauticform-error" id="mauticform_${name}_error"></div>`,
    `<div class="mauticform-message" id="mauticform_${name}_message"></div>`,
    `<div class="mauticform-innerform"><div class="mauticform-page-wrapper mauticform-page-1" data-mautic-form-page="1">${rows}</div></div>`,
    `<input type="hidden" name="mauticform[formId]" id="mauticform_${name}_id" value="${form.id}" />`,
    `<input type="hidden" name="mauticform[return]" id="mauticform_${name}_return" value="" />`,
    `<input type="hidden" name="mauticform[formName]" id="mauticform_${name}_name" value="${name}" />`,
    '</form>',
    '</div>',
  ].join('\n');
}
