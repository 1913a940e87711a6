// The overview: instances, active connections, endpoints per state and managers, each with a
// live graph of the last five minutes (GET /v1.1/info every 2 s while the page is open), and
// every endpoint and manager linked.
import { every, get, v } from './api.js';
import { LiveChart } from './chart.js';
import { el, replace, endpointLink, managerLink, stateBadge } from './dom.js';

// The graphs live as long as the browser tab, so that coming back to the overview shows the
// minutes already seen; they are only fed while the overview is open.
let charts;

export function overviewPage(main) {
  charts ??= {
    instances: new LiveChart('Instances'),
    active: new LiveChart('Active connections'),
    endpoints: new LiveChart('Endpoints per state'),
    managers: new LiveChart('Managers'),
  };
  const endpointList = el('ul', { class: 'plain', id: 'overview-endpoints' });
  const managerList = el('ul', { class: 'plain', id: 'overview-managers' });
  replace(main,
    el('h1', { tabindex: -1 }, 'Overview'),
    el('section', { class: 'charts', 'aria-label': 'Live graphs' }, Object.values(charts).map((chart) => chart.node)),
    el('div', { class: 'columns' },
      el('section', {}, el('h2', {}, 'Endpoints'), endpointList),
      el('section', {}, el('h2', {}, 'Managers'), managerList)));

  const stopInfo = every(2, async () => {
    const info = await get(v('/info'));
    charts.instances.push(info.instances ?? 0);
    charts.active.push(info.active ?? 0);
    charts.managers.push(info.managers ?? 0);
    let total = 0;
    for (const state of ['RUNNING', 'PAUSED', 'STOPPED']) {
      const count = info.endpoints?.[state] ?? 0;
      total += count;
      charts.endpoints.push(count, state);
    }
    for (const chart of Object.values(charts)) chart.render(chart === charts.endpoints ? total : undefined);
  });
  const stopLists = every(10, async () => {
    const [names, managers] = await Promise.all([get(v('/endpoints')), get(v('/managers/active'))]);
    const states = await Promise.all(names.map((name) => get(v('/endpoints/' + encodeURIComponent(name) + '/state')).catch(() => null)));
    replace(endpointList, names.length
      ? names.map((name, index) => el('li', {}, endpointLink(name), ' ', states[index] ? stateBadge(states[index].state) : ''))
      : el('li', { class: 'muted' }, 'No endpoints yet. ', el('a', { href: '#/endpoints/new' }, 'Create one')));
    const details = await Promise.all(managers.map((id) => get(v('/managers/active/' + encodeURIComponent(id))).catch(() => null)));
    replace(managerList, managers.length
      ? managers.map((id, index) => el('li', {}, managerLink(id, details[index]?.name ?? id), ' ', el('span', { class: 'muted mono' }, id)))
      : el('li', { class: 'muted' }, 'No manager is running.'));
  });
  main.focus();
  return () => {
    stopInfo();
    stopLists();
  };
}
