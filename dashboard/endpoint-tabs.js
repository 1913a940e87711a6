// The tabs of an endpoint's page. Each renders into its panel and returns what stops its refresh.
import { ApiError, del, every, get, post, schemas, v, endpointPath } from './api.js';
import { LiveChart } from './chart.js';
import { ConfigForm } from './form.js';
import { el, replace, endpointLink, notice, formatTime, linkedText } from './dom.js';

function configuration(panel, name) {
  const status = el('div', { class: 'form-status' });
  const confirm = el('div', { class: 'confirm' });
  const save = el('button', { type: 'submit', id: 'save-configuration' }, 'Save');
  const reset = el('button', { type: 'button', id: 'reset-configuration', class: 'quiet' }, 'Reset');
  const remove = el('button', { type: 'button', id: 'delete-endpoint', class: 'danger' }, 'Delete…');
  let form;
  const load = async () => {
    form.fill(await get(endpointPath(name)));
    replace(status);
  };
  schemas().then(async (all) => {
    form = new ConfigForm(all.EndpointConfiguration, `Configuration of ${name}`);
    form.node.append(el('div', { class: 'actions' }, save, reset, remove), status, confirm);
    replace(panel, form.node);
    form.node.addEventListener('submit', async (event) => {
      event.preventDefault();
      save.disabled = true;
      replace(status);
      try {
        await post(endpointPath(name), form.value());
        form.clearErrors();
        replace(status, notice('Saved.'));
      } catch (error) {
        if (error instanceof ApiError) form.showError(error);
        else replace(status, notice(String(error), 'error'));
      } finally {
        save.disabled = false;
      }
    });
    reset.addEventListener('click', () => load().catch((error) => replace(status, notice(error.message, 'error'))));
    remove.addEventListener('click', () => {
      const yes = el('button', { type: 'button', class: 'danger', id: 'confirm-delete' }, `Delete ${name}`);
      const no = el('button', { type: 'button', class: 'quiet' }, 'Cancel');
      replace(confirm, el('p', { role: 'alert' },
        `Delete the name ${name}? Removing its last name removes the endpoint and its data; stop it first so that its instances go.`),
        yes, ' ', no);
      no.addEventListener('click', () => { replace(confirm); remove.focus(); });
      yes.addEventListener('click', async () => {
        try {
          await del(endpointPath(name));
          location.hash = '#/endpoints';
        } catch (error) {
          replace(confirm, notice(error.message, 'error'));
        }
      });
      yes.focus();
    });
    await load();
  }).catch((error) => replace(status, notice(error.message, 'error')));
}

function log(panel, name, path = endpointPath(name, '/log')) {
  const list = el('ol', { class: 'log', id: 'log-entries', 'aria-live': 'polite' });
  const follow = el('input', { type: 'checkbox', id: 'log-follow', checked: true });
  replace(panel, el('p', {}, el('label', { for: follow.id }, follow, ' Follow (scroll to the newest entry)')), list);
  let since = 0;
  let names = null;
  return every(2, async () => {
    // The endpoints' names, to link the ones a line names (read once per open log).
    names ??= await get(v('/endpoints')).catch(() => []);
    const entries = await get(path + (since ? `?since=${since}` : ''));
    for (const [time, severity, text] of entries) {
      since = Math.max(since, time);
      list.append(el('li', { class: 'severity-' + String(severity).toLowerCase() },
        el('time', {}, formatTime(time)), ' ', el('span', { class: 'severity' }, severity), ' ', linkedText(text, names)));
    }
    while (list.children.length > 500) list.firstElementChild.remove();
    if (entries.length && follow.checked) list.lastElementChild?.scrollIntoView({ block: 'nearest' });
    if (!list.children.length) replace(list, el('li', { class: 'muted empty' }, 'Nothing logged yet.'));
    else list.querySelector('.empty')?.remove();
  });
}

function instances(panel, name) {
  const lists = {};
  const sections = ['active', 'decommissioned', 'errored'].map((state) => {
    lists[state] = el('ul', { class: 'plain mono', id: 'instances-' + state });
    return el('section', {}, el('h2', {}, state), lists[state]);
  });
  replace(panel, el('div', { class: 'columns three' }, sections));
  return every(2, async () => {
    const all = await get(endpointPath(name, '/instances?states=all'));
    for (const [state, list] of Object.entries(lists)) {
      const ids = all[state] ?? [];
      replace(list, ids.length ? ids.map((id) => el('li', {}, id)) : el('li', { class: 'muted' }, 'none'));
    }
  });
}

function addresses(panel, name) {
  const list = el('ul', { class: 'plain', id: 'address-list' });
  const status = el('div');
  replace(panel, el('p', { class: 'hint' }, 'Dropping an address unregisters it: its instance leaves the balancers.'), list, status);
  const refresh = async () => {
    const ips = await get(endpointPath(name, '/ips'));
    replace(list, ips.length ? ips.map((ip) => el('li', {}, el('span', { class: 'mono' }, ip), ' ',
      el('button', { type: 'button', class: 'quiet', onclick: async () => {
        try {
          await post(v('/unregister/' + encodeURIComponent(ip)));
          replace(status, notice(`Asked to unregister ${ip}.`));
          await refresh();
        } catch (error) {
          replace(status, notice(error.message, 'error'));
        }
      } }, `Drop ${ip}`))) : el('li', { class: 'muted' }, 'No confirmed address.'));
  };
  return every(3, refresh);
}

function sessions(panel, name) {
  const body = el('tbody', { id: 'session-rows' });
  const status = el('div');
  replace(panel, el('table', { class: 'list' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Client'), el('th', { scope: 'col' }, 'Backend'), el('th', {}, ''))), body), status);
  const refresh = async () => {
    const open = await get(endpointPath(name, '/sessions'));
    const rows = Object.entries(open).map(([client, backend]) => el('tr', { 'data-session': client },
      el('td', { class: 'mono' }, client), el('td', { class: 'mono' }, backend),
      el('td', {}, el('button', { type: 'button', class: 'quiet drop-session', onclick: async () => {
        try {
          await del(endpointPath(name, '/sessions/' + encodeURIComponent(client)));
          replace(status, notice(`Asked the front doors to drop ${client}.`));
          await refresh();
        } catch (error) {
          replace(status, notice(error.message, 'error'));
        }
      } }, `Drop ${client}`))));
    replace(body, rows.length ? rows : el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'No open session.')));
  };
  return every(2, refresh);
}

function metrics(panel, name) {
  const grid = el('div', { class: 'charts', id: 'metric-charts' });
  const charts = new Map();
  replace(panel, el('p', { class: 'hint' }, 'The metrics the owner computed (weighted averages), every 2 s.'), grid);
  return every(2, async () => {
    const values = await get(endpointPath(name, '/metrics'));
    for (const [metric, value] of Object.entries(values)) {
      if (!charts.has(metric)) {
        charts.set(metric, new LiveChart(metric, { label: 'per instance now' }));
        grid.append(charts.get(metric).node);
      }
      charts.get(metric).push(Number(value));
    }
    for (const chart of charts.values()) chart.render();
    if (!charts.size) replace(grid, el('p', { class: 'muted' }, 'No metric reported yet.'));
    else grid.querySelector('p.muted')?.remove();
  });
}

function aliases(panel, name) {
  const input = el('input', { id: 'alias-name', type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const status = el('div');
  const names = el('ul', { class: 'plain' });
  const form = el('form', {}, el('label', { for: input.id }, 'New alias'), input, el('button', { type: 'submit' }, 'Add alias'), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await post(endpointPath(name, '/alias'), input.value.trim());
      replace(status, notice(`Added ${input.value.trim()}.`));
      input.value = '';
    } catch (error) {
      replace(status, notice(error.message, 'error'));
    }
  });
  replace(panel, el('p', { class: 'hint' },
    'An alias is another name of the same endpoint. Deleting a name (configuration tab) removes only that name until the last one.'),
  form, el('h2', {}, 'All endpoint names'), names);
  return every(5, async () => {
    const all = await get(v('/endpoints'));
    replace(names, all.map((other) => el('li', {}, endpointLink(other))));
  });
}

export const tabs = { configuration, log, instances, addresses, sessions, metrics, aliases };
export { log as logTab };
