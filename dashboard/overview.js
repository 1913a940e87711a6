// The overview: instances, active connections, endpoints per state and managers, each with a
// live graph of the last five minutes (GET /v1.1/info every 2 s while the page is open), and
// every endpoint (with its problems) and manager linked.
import { every, get, v } from './api.js';
import { LiveChart } from './chart.js';
import { summary } from './summary.js';
import { el, replace, endpointLink, managerLink, stateBadge, conditionBadges } from './dom.js';

// The graphs live as long as the browser tab, so that coming back to the overview shows the
// minutes already seen; they are only fed while the overview is open.
let charts;

export function overviewPage(main) {
  charts ??= {
    instances: new LiveChart('Instances', { label: 'confirmed now' }),
    active: new LiveChart('Active connections', { label: 'open now' }),
    endpoints: new LiveChart('Endpoints per state', { label: 'in all' }),
    managers: new LiveChart('Managers', { label: 'running now' }),
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
    const { endpoints, managers } = await summary();
    replace(endpointList, endpoints.length
      ? endpoints.map((entry) => el('li', {}, endpointLink(entry.name),
        entry.alias_of ? el('span', { class: 'alias-of' }, ' alias of ', entry.alias_of) : '', ' ', stateBadge(entry.state),
        entry.conditions?.length ? [' ', conditionBadges(entry.conditions)] : ''))
      : el('li', { class: 'muted' }, 'No endpoints yet. ', el('a', { href: '#/endpoints/new' }, 'Create one')));
    replace(managerList, managers.length
      ? managers.map((manager) => el('li', {}, managerLink(manager.id, manager.name ?? manager.id), ' ', el('span', { class: 'muted mono' }, manager.id)))
      : el('li', { class: 'muted' }, 'No manager is running.'));
  });
  main.focus();
  return () => {
    stopInfo();
    stopLists();
  };
}
