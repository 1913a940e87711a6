// An endpoint's overview tab, what an operator opens the page for: its state, current problems,
// owner, instances against the target and the last scaling decision in a sentence; a graph of
// instances and target with each decision marked (its reason on hover), a graph per metric the
// rules name with the rule's band, and the recent launches, decommissions and failures.
import { every, get, endpointPath } from './api.js';
import { LiveChart } from './chart.js';
import { conditions, managerName } from './summary.js';
import { decisionLine, activity, ruleBands, withoutManager } from './history.js';
import { el, replace, ago, formatTime, ownerLink, stateBadge, linkedText } from './dom.js';

const WINDOW = 30 * 60;
// Per endpoint name, kept while the browser tab is open (as the overview's graphs are): coming
// back to the page shows the minutes already seen.
const kept = new Map();

function historyOf(name) {
  if (!kept.has(name)) {
    kept.set(name, {
      count: new LiveChart('Instances and target', { window: WINDOW, steps: true, label: 'active now' }),
      // watched: the [from, to] spans sampled live; instances, target: the counts last drawn.
      metrics: new Map(), since: 0, watched: [], activity: [], instances: null, target: null,
    });
  }
  return kept.get(name);
}

/** The last decision in a sentence: the owner's explanation, what held it back, and when. */
function decisionSentence(decision) {
  if (!decision) return el('span', { class: 'muted' }, 'No decision yet: no manager has made a pass over this endpoint.');
  const held = (decision.held ?? []).map((hold) => hold.why).join('; ');
  return el('span', {}, decision.explanation ?? `target ${decision.target}`, held ? ` — held back: ${held}` : '',
    el('span', { class: 'muted' }, ` (${ago(decision.time)})`));
}

function conditionItems(found) {
  if (!found.length) return el('li', { class: 'no-problem' }, 'No problem reported.');
  return found.map((condition) => el('li', { class: 'condition-item', 'data-condition': condition.type },
    el('strong', { class: 'condition' }, condition.type), ' ', condition.reason,
    el('span', { class: 'hint' }, `since ${ago(condition.since)} · last seen ${ago(condition.last_seen)} · from ${condition.source}`)));
}

/**
 * Reads log lines into the graph (a mark per decision; for the times no live sample covers —
 * before the page was opened, or while another tab was — the counts the lines tell) and into
 * the activity list.
 */
function readLog(history, entries) {
  for (const [time, severity, text] of entries) {
    history.since = Math.max(history.since, time);
    const decision = decisionLine(text);
    const event = activity(severity, text);
    const unseen = !history.watched.some(([from, to]) => time >= from && time <= to);
    if (decision) {
      history.count.mark(time, withoutManager(text));
      if (unseen) {
        history.instances = decision.from;
        history.target = decision.to;
      }
    } else if (event && unseen && history.instances !== null) {
      history.instances = Math.max(0, history.instances + event.change);
    }
    if (unseen && history.instances !== null) {
      history.count.push(history.instances, 'instances', time);
      history.count.push(history.target, 'target', time);
    }
    if (event) history.activity.push({ time, severity, text, kind: event.kind });
  }
  history.activity.splice(0, Math.max(0, history.activity.length - 50));
}

export function overviewTab(panel, name) {
  const history = historyOf(name);
  const watching = [Date.now() / 1000, Date.now() / 1000];
  const problems = el('ul', { class: 'plain conditions', id: 'endpoint-conditions' });
  const state = el('dd', { id: 'endpoint-overview-state' }, '…');
  const owner = el('dd', { id: 'endpoint-owner' }, '…');
  const count = el('dd', { id: 'endpoint-instances' }, '…');
  const sentence = el('dd', { id: 'endpoint-decision' }, '…');
  const grid = el('div', { class: 'charts', id: 'rule-metric-charts' });
  const list = el('ol', { class: 'log activity', id: 'activity' });
  history.count.node.id = 'count-chart';
  history.count.node.classList.add('wide');
  replace(panel,
    el('div', { class: 'columns' },
      el('section', { 'aria-labelledby': 'problems-title' }, el('h2', { id: 'problems-title' }, 'Problems'), problems),
      el('section', {}, el('h2', {}, 'Now'), el('dl', { class: 'facts' },
        el('dt', {}, 'State'), state, el('dt', {}, 'Owner'), owner,
        el('dt', {}, 'Instances'), count, el('dt', {}, 'Last decision'), sentence))),
    el('h2', {}, 'Over time'),
    el('p', { class: 'hint' }, 'Each mark is a decision of the owner: hover it for the reason.'), history.count.node,
    el('h2', {}, 'Metrics the rules name'),
    el('p', { class: 'hint' }, 'Per-instance averages; the shaded band is where the rule asks for no change.'), grid,
    el('h2', {}, 'Activity'), list);

  let bands = null;
  const owners = new Map();
  let round = 0;
  let left = false;
  const stop = every(2, async () => {
    bands ??= ruleBands((await get(endpointPath(name)).catch(() => ({}))).scaling?.rules);
    const logDue = round++ % 3 === 0;
    const [current, decision, instances, metrics, entries] = await Promise.all([
      get(endpointPath(name, '/state')), get(endpointPath(name, '/decision')).catch(() => null),
      get(endpointPath(name, '/instances')), get(endpointPath(name, '/metrics')).catch(() => ({})),
      logDue ? get(endpointPath(name, '/log') + (history.since ? `?since=${history.since}` : '')) : [],
    ]);
    const found = await conditions(name, { state: current.state, manager: current.manager }, decision);
    if (current.manager && !owners.has(current.manager)) owners.set(current.manager, await managerName(current.manager));
    if (left) return; // the answers came after the tab was left: this round watched nothing
    // Lines from before this tab was opened are not covered by its samples; later ones are.
    if (!history.watched.includes(watching)) history.watched.push(watching);
    watching[1] = Date.now() / 1000;
    readLog(history, entries.filter(([time]) => time > history.since || !history.since));

    replace(problems, conditionItems(found));
    replace(state, stateBadge(current.state));
    replace(owner, ownerLink(current.manager, owners.get(current.manager)));
    const target = decision?.target ?? null;
    replace(count, `${instances.length} active`, target === null ? '' : `, target ${target}`);
    replace(sentence, decisionSentence(decision));

    history.instances = instances.length;
    history.target = target;
    history.count.push(instances.length, 'instances');
    if (target !== null) history.count.push(target, 'target');
    history.count.render(instances.length);

    for (const band of bands) {
      if (!history.metrics.has(band.metric)) {
        const chart = new LiveChart(band.metric, { window: WINDOW, label: 'per instance now' });
        chart.band(band.low, band.high, `shaded: ${band.rules.join(', ')}`);
        const seed = decision?.metrics?.[band.metric]?.average;
        if (typeof seed === 'number' && decision.time < Date.now() / 1000 - 2) chart.push(seed, '', decision.time);
        history.metrics.set(band.metric, chart);
      }
      const chart = history.metrics.get(band.metric);
      chart.node.dataset.metric = band.metric;
      chart.push(Number(metrics[band.metric] ?? 0));
      chart.render();
      if (chart.node.parentNode !== grid) grid.append(chart.node);
    }
    if (!bands.length) replace(grid, el('p', { class: 'muted' }, 'The rules name no metric.'));

    replace(list, history.activity.length
      ? [...history.activity].reverse().slice(0, 20).map((entry) => el('li', { class: `severity-${entry.severity.toLowerCase()} activity-${entry.kind}` },
        el('time', {}, formatTime(entry.time)), ' ', el('span', { class: 'kind' }, entry.kind), ' ', linkedText(entry.text, [name])))
      : el('li', { class: 'muted' }, 'No launch, decommission or failure logged yet.'));
  });
  return () => {
    left = true;
    stop();
  };
}
