// A configuration form built from a schema of the OpenAPI document (EndpointConfiguration or
// ManagerConfiguration): one field per key of the typed sections, an INI text box for the driver
// sections ([cloud:<driver>], [loadbalancer:<driver>]), and the API's per-field 400 answers
// ({"section": {"key": "message"}}) shown beside the fields they name.
import { el, replace } from './dom.js';

let formCount = 0;

export class ConfigForm {
  /** @param {object} schema the configuration's schema; @param {string} label the form's name */
  constructor(schema, label) {
    this.id = 'cf' + ++formCount;
    this.schema = schema;
    this.fields = new Map(); // "section\u0000key" → {input, error, type}
    this.sectionErrors = new Map();
    this.node = el('form', { class: 'config-form', 'aria-label': label, novalidate: true });
    this.summary = el('div', { class: 'form-summary', role: 'alert' });
    this.node.append(this.summary);
    for (const [section, sectionSchema] of Object.entries(schema.properties ?? {})) {
      this.node.append(this.fieldset(section, sectionSchema));
    }
    this.drivers = el('textarea', {
      id: this.id + '-drivers', name: 'drivers', rows: 8, spellcheck: 'false', class: 'mono',
      'aria-describedby': this.id + '-drivers-hint ' + this.id + '-drivers-error',
    });
    this.driversError = el('ul', { id: this.id + '-drivers-error', class: 'field-error' });
    this.node.append(el('fieldset', {},
      el('legend', {}, 'Driver sections'),
      el('label', { for: this.drivers.id }, 'Settings of the cloud and balancer drivers (INI)'),
      el('p', { id: this.id + '-drivers-hint', class: 'hint' },
        '[cloud:<driver>] and [loadbalancer:<driver>] sections, one "key = value" per line'),
      this.drivers, this.driversError));
  }

  fieldset(section, sectionSchema) {
    const error = el('p', { class: 'field-error', role: 'alert' });
    this.sectionErrors.set(section, error);
    const set = el('fieldset', {}, el('legend', {}, `[${section}]`), error);
    for (const [key, property] of Object.entries(sectionSchema.properties ?? {}).sort(keyOrder)) {
      const id = `${this.id}-${section}-${key}`;
      let input;
      if (property.enum || property.type === 'boolean') {
        const choices = property.enum ?? ['true', 'false'];
        input = el('select', { id, name: `${section}.${key}` },
          el('option', { value: '' }, property.default === undefined ? '(none)' : `(default: ${property.default})`),
          choices.map((choice) => el('option', { value: choice }, choice)));
      } else {
        input = el('input', {
          id, name: `${section}.${key}`, type: 'text', autocomplete: 'off', spellcheck: 'false',
          inputmode: property.type === 'integer' || property.type === 'number' ? 'decimal' : undefined,
          placeholder: property.default === undefined ? '' : `default ${property.default}`,
        });
      }
      const fieldError = el('span', { id: id + '-error', class: 'field-error', role: 'alert' });
      const hint = el('span', { id: id + '-hint', class: 'hint' }, property.description ?? '');
      input.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
      this.fields.set(section + '\u0000' + key, { input, error: fieldError, type: property.type });
      set.append(el('div', { class: 'field', 'data-field': `${section}.${key}` },
        el('label', { for: id }, key), input, fieldError, hint));
    }
    return set;
  }

  /** Fills the form from a stored configuration ({section: {key: value}}). */
  fill(configuration) {
    this.clearErrors();
    const drivers = {};
    for (const { input } of this.fields.values()) input.value = '';
    for (const [section, values] of Object.entries(configuration ?? {})) {
      if (!this.schema.properties?.[section]) {
        drivers[section] = values;
        continue;
      }
      for (const [key, value] of Object.entries(values ?? {})) {
        const field = this.fields.get(section + '\u0000' + key);
        if (field) field.input.value = value === null ? '' : String(value);
      }
    }
    this.drivers.value = formatINI(drivers);
  }

  /** The configuration the form holds, as the API takes it. */
  value() {
    const configuration = {};
    for (const [name, { input, type }] of this.fields) {
      const [section, key] = name.split('\u0000');
      configuration[section] ??= {};
      const text = input.value.trim();
      if (text === '') continue;
      const number = Number(text);
      if ((type === 'integer' || type === 'number') && text !== '' && Number.isFinite(number)) {
        configuration[section][key] = number;
      } else if (type === 'boolean') {
        configuration[section][key] = text === 'true';
      } else {
        configuration[section][key] = text;
      }
    }
    Object.assign(configuration, parseINI(this.drivers.value));
    return configuration;
  }

  clearErrors() {
    replace(this.summary);
    for (const { input, error } of this.fields.values()) {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    }
    for (const error of this.sectionErrors.values()) error.textContent = '';
    replace(this.driversError);
  }

  /** Shows an API error: per-field messages beside their fields, anything else on top. */
  showError(error) {
    this.clearErrors();
    const body = error.body;
    let first;
    if (error.status === 400 && body && typeof body === 'object' && typeof body.message !== 'string') {
      for (const [section, keys] of Object.entries(body)) {
        for (const [key, message] of Object.entries(keys ?? {})) {
          const field = this.fields.get(section + '\u0000' + key);
          if (field) {
            field.error.textContent = message;
            field.input.setAttribute('aria-invalid', 'true');
            first ??= field.input;
          } else if (key === '*' && this.sectionErrors.has(section)) {
            this.sectionErrors.get(section).textContent = message;
          } else {
            const where = key === '*' ? `[${section}]` : `[${section}] ${key}`;
            this.driversError.append(el('li', {}, `${where}: ${message}`));
            first ??= this.drivers;
          }
        }
      }
      replace(this.summary, el('p', { class: 'notice notice-error' }, 'The configuration has errors; see the fields marked below.'));
      first?.focus();
    } else {
      replace(this.summary, el('p', { class: 'notice notice-error' }, error.message));
    }
  }
}

function keyOrder([a], [b]) {
  const first = ['url', 'loadbalancer', 'cloud', 'port', 'min_instances', 'max_instances', 'rules', 'interval'];
  const rank = (key) => (first.includes(key) ? first.indexOf(key) : first.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

export function formatINI(sections) {
  const lines = [];
  for (const [section, values] of Object.entries(sections)) {
    if (lines.length) lines.push('');
    lines.push(`[${section}]`);
    for (const [key, value] of Object.entries(values ?? {})) lines.push(`${key} = ${value}`);
  }
  return lines.join('\n');
}

export function parseINI(text) {
  const sections = {};
  let current = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1].trim();
      sections[current] ??= {};
    } else if (current !== null && line.includes('=')) {
      const at = line.indexOf('=');
      sections[current][line.slice(0, at).trim()] = line.slice(at + 1).trim();
    } else {
      // A line outside a section or without "=": sent as is, so that the API names the problem.
      sections[current ?? ''] ??= {};
      sections[current ?? ''][line] = '';
    }
  }
  return sections;
}
