// The endpoints list (state, problems, instances against the target, owner) and creating an
// endpoint from a template.
import { ApiError, every, put, schemas, endpointPath } from './api.js';
import { ConfigForm } from './form.js';
import { summary } from './summary.js';
import { templates } from './templates.js';
import { el, replace, endpointLink, endpointHref, ownerLink, stateBadge, notice, conditionBadges } from './dom.js';

export function endpointsPage(main) {
  const body = el('tbody');
  const table = el('table', { class: 'list', id: 'endpoint-table' },
    el('caption', { class: 'visually-hidden' }, 'Endpoints'),
    el('thead', {}, el('tr', {}, ['Name', 'State', 'Problems', 'Instances / target', 'Owner', 'Front door']
      .map((title) => el('th', { scope: 'col' }, title)))),
    body);
  replace(main,
    el('div', { class: 'title-row' }, el('h1', { tabindex: -1 }, 'Endpoints'),
      el('a', { href: '#/endpoints/new', class: 'button', id: 'new-endpoint' }, 'New endpoint')),
    el('div', { class: 'scroll' }, table));
  main.focus();
  return every(5, async () => {
    const { endpoints } = await summary();
    const rows = endpoints.map((entry) => el('tr', { 'data-endpoint': entry.name, class: entry.conditions?.length ? 'has-problem' : undefined },
      el('th', { scope: 'row' }, endpointLink(entry.name),
        entry.alias_of ? el('span', { class: 'alias-of' }, ' alias of ', endpointLink(entry.alias_of)) : ''),
      el('td', {}, stateBadge(entry.state)),
      el('td', { class: 'problems' }, conditionBadges(entry.conditions)),
      el('td', { class: 'number', 'data-instances': entry.instances, 'data-target': entry.target ?? '' },
        el('a', { href: endpointHref(entry.name, 'instances') }, String(entry.instances)),
        el('span', { class: 'muted' }, entry.target === null ? ' / –' : ` / ${entry.target}`)),
      el('td', {}, ownerLink(entry.manager, entry.manager_name)),
      el('td', { class: 'mono' }, entry.url ?? el('span', { class: 'muted' }, 'none'))));
    replace(body, rows.length ? rows : el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No endpoints yet.')));
  });
}

export function newEndpointPage(main) {
  const name = el('input', { id: 'new-name', name: 'name', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false' });
  const nameError = el('span', { id: 'new-name-error', class: 'field-error', role: 'alert' });
  name.setAttribute('aria-describedby', 'new-name-error');
  const choices = el('div', { class: 'templates', role: 'radiogroup', 'aria-label': 'Template' });
  const formSlot = el('div');
  const status = el('div');
  let form;
  const create = el('button', { type: 'button', id: 'create-endpoint' }, 'Create');

  replace(main, el('h1', { tabindex: -1 }, 'New endpoint'),
    el('div', { class: 'field' }, el('label', { for: name.id }, 'Name'), name, nameError),
    el('h2', {}, 'Start from'), choices, formSlot, el('div', { class: 'actions' }, create), status);
  main.focus();

  schemas().then((all) => {
    form = new ConfigForm(all.EndpointConfiguration, 'Configuration of the new endpoint');
    replace(formSlot, form.node);
    templates.forEach((template, index) => {
      const id = 'template-' + template.id;
      const radio = el('input', { type: 'radio', name: 'template', id, value: template.id, checked: index === 0 });
      radio.addEventListener('change', () => form.fill(template.configuration));
      choices.append(el('label', { for: id, class: 'template' }, radio,
        el('strong', {}, template.title), el('span', { class: 'hint' }, template.text)));
    });
    form.fill(templates[0].configuration);
  }).catch((error) => replace(status, notice(error.message, 'error')));

  create.addEventListener('click', async () => {
    nameError.textContent = '';
    replace(status);
    const wanted = name.value.trim();
    if (!wanted) {
      nameError.textContent = 'give the endpoint a name';
      name.focus();
      return;
    }
    create.disabled = true;
    try {
      await put(endpointPath(wanted), form.value());
      location.hash = endpointHref(wanted);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        nameError.textContent = error.message;
        name.focus();
      } else if (error instanceof ApiError && error.status === 400 && typeof error.body?.message === 'string' && /name/i.test(error.body.message)) {
        nameError.textContent = error.message;
        name.focus();
      } else if (error instanceof ApiError) {
        form.showError(error);
      } else {
        replace(status, notice(String(error), 'error'));
      }
    } finally {
      create.disabled = false;
    }
  });
}
