// Managers: the running ones (name, uuid, clouds, balancers, endpoints owned) and their stored
// configurations (form, delete, log).
import { ApiError, del, every, get, post, schemas, v } from './api.js';
import { ConfigForm } from './form.js';
import { logTab } from './endpoint-tabs.js';
import { el, replace, endpointLink, managerLink, managerConfigLink, notice } from './dom.js';

/** {manager uuid: [endpoint names it owns]} from every endpoint's state. */
async function ownership() {
  const names = await get(v('/endpoints'));
  const owned = {};
  await Promise.all(names.map(async (name) => {
    const state = await get(v('/endpoints/' + encodeURIComponent(name) + '/state')).catch(() => null);
    if (state?.manager) (owned[state.manager] ??= []).push(name);
  }));
  for (const list of Object.values(owned)) list.sort();
  return owned;
}

const list = (items, render) => (items?.length ? items.map(render).flatMap((node, index) => (index ? [', ', node] : [node])) : el('span', { class: 'muted' }, 'none'));

export function managersPage(main) {
  const active = el('tbody', { id: 'manager-rows' });
  const configs = el('ul', { class: 'plain', id: 'manager-configs' });
  const newName = el('input', { id: 'new-config-name', type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const newForm = el('form', { class: 'inline' }, el('label', { for: newName.id }, 'New configuration for manager'), newName,
    el('button', { type: 'submit' }, 'Open'));
  newForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (newName.value.trim()) location.hash = '#/managers/configs/' + encodeURIComponent(newName.value.trim());
  });
  replace(main, el('h1', { tabindex: -1 }, 'Managers'),
    el('h2', {}, 'Active'),
    el('div', { class: 'scroll' }, el('table', { class: 'list' },
      el('thead', {}, el('tr', {}, ['Name', 'UUID', 'Clouds', 'Balancers', 'Endpoints owned'].map((title) => el('th', { scope: 'col' }, title)))),
      active)),
    el('h2', {}, 'Configurations'), configs, newForm);
  main.focus();
  return every(5, async () => {
    const [ids, names, owned] = await Promise.all([get(v('/managers/active')), get(v('/managers/configs')), ownership()]);
    const details = await Promise.all(ids.map((id) => get(v('/managers/active/' + encodeURIComponent(id))).catch(() => null)));
    replace(active, ids.length ? ids.map((id, index) => {
      const info = details[index] ?? {};
      return el('tr', {},
        el('th', { scope: 'row' }, info.name ? managerConfigLink(info.name) : '?'),
        el('td', { class: 'mono' }, managerLink(id)),
        el('td', {}, list(info.clouds, String)),
        el('td', {}, list(info.loadbalancers, String)),
        el('td', {}, list(owned[id], endpointLink)));
    }) : el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No manager is running.')));
    replace(configs, names.length ? names.map((name) => el('li', {}, managerConfigLink(name))) : el('li', { class: 'muted' }, 'No stored configuration: managers run with the defaults.'));
  });
}

export function managerPage(main, id) {
  const body = el('dl', { class: 'facts' });
  replace(main, el('p', { class: 'crumbs' }, el('a', { href: '#/managers' }, 'Managers'), ' / '),
    el('h1', { tabindex: -1, class: 'mono' }, id), body);
  main.focus();
  return every(5, async () => {
    try {
      const [info, owned] = await Promise.all([get(v('/managers/active/' + encodeURIComponent(id))), ownership()]);
      replace(body,
        el('dt', {}, 'Name'), el('dd', {}, info.name ? managerConfigLink(info.name) : '?'),
        el('dt', {}, 'Clouds'), el('dd', {}, list(info.clouds, String)),
        el('dt', {}, 'Balancers'), el('dd', {}, list(info.loadbalancers, String)),
        el('dt', {}, 'Addresses'), el('dd', { class: 'mono' }, list(info.ips, String)),
        el('dt', {}, 'Ring keys'), el('dd', {}, String(info.keys?.length ?? 0)),
        el('dt', {}, 'Endpoints owned'), el('dd', {}, list(owned[id], endpointLink)));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      replace(body, notice('This manager is not running (any more).', 'error'));
    }
  });
}

export function managerConfigPage(main, name, tab) {
  const panel = el('section', { class: 'tab-panel' });
  const base = '#/managers/configs/' + encodeURIComponent(name);
  replace(main, el('p', { class: 'crumbs' }, el('a', { href: '#/managers' }, 'Managers'), ' / '),
    el('h1', { tabindex: -1 }, `Manager ${name}`),
    el('nav', { class: 'tabs', 'aria-label': 'Manager sections' },
      el('a', { href: base, 'aria-current': tab === 'log' ? undefined : 'page' }, 'configuration'),
      el('a', { href: base + '/log', 'aria-current': tab === 'log' ? 'page' : undefined }, 'log')),
    panel);
  main.focus();
  if (tab === 'log') return logTab(panel, name, v('/managers/log/' + encodeURIComponent(name)));
  const status = el('div');
  const confirm = el('div');
  schemas().then(async (all) => {
    const form = new ConfigForm(all.ManagerConfiguration, `Configuration of manager ${name}`);
    const remove = el('button', { type: 'button', class: 'danger' }, 'Delete…');
    const reset = el('button', { type: 'button', class: 'quiet' }, 'Reset');
    form.node.append(el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Save'), reset, remove), status, confirm);
    replace(panel, form.node);
    const load = async () => {
      try {
        form.fill(await get(v('/managers/configs/' + encodeURIComponent(name))));
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
        form.fill({});
        replace(status, notice('No configuration is stored yet: saving creates it.'));
      }
    };
    form.node.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await post(v('/managers/configs/' + encodeURIComponent(name)), form.value());
        form.clearErrors();
        replace(status, notice('Saved. Running managers of this name pick it up on their next pass.'));
      } catch (error) {
        if (error instanceof ApiError) form.showError(error);
      }
    });
    reset.addEventListener('click', () => load());
    remove.addEventListener('click', () => {
      const yes = el('button', { type: 'button', class: 'danger' }, `Delete the configuration of ${name}`);
      const no = el('button', { type: 'button', class: 'quiet' }, 'Cancel');
      replace(confirm, el('p', { role: 'alert' }, 'Managers of this name go back to the defaults.'), yes, ' ', no);
      no.addEventListener('click', () => replace(confirm));
      yes.addEventListener('click', async () => {
        try {
          await del(v('/managers/configs/' + encodeURIComponent(name)));
          location.hash = '#/managers';
        } catch (error) {
          replace(confirm, notice(error.message, 'error'));
        }
      });
      yes.focus();
    });
    await load();
  }).catch((error) => replace(status, notice(error.message, 'error')));
}
