// Building DOM nodes. Values from the API only ever become text nodes or attribute values, never
// HTML: no markup is ever parsed from data in the dashboard.

/** el('a', {href: '#/x', class: 'c', onclick: f}, 'text', child, …) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (value === true) {
      node.setAttribute(name, '');
    } else {
      node.setAttribute(name, String(value));
    }
  }
  append(node, children);
  return node;
}

/** Appends strings (as text), numbers, nodes and arrays of them. */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Removes every child of `node`, then appends `children`. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export function endpointHref(name, tab) {
  return '#/endpoints/' + encodeURIComponent(name) + (tab ? '/' + tab : '');
}

export function endpointLink(name) {
  return el('a', { href: endpointHref(name), class: 'endpoint-link' }, name);
}

export function managerLink(uuid, label) {
  return el('a', { href: '#/managers/active/' + encodeURIComponent(uuid), class: 'manager-link' }, label ?? uuid);
}

export function managerConfigLink(name) {
  return el('a', { href: '#/managers/configs/' + encodeURIComponent(name), class: 'manager-link' }, name);
}

export function stateBadge(state) {
  return el('span', { class: 'state state-' + String(state).toLowerCase() }, state);
}

/** A short status line (role=status) that screen readers announce. */
export function notice(text, kind = 'info') {
  return el('p', { class: 'notice notice-' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function formatTime(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString();
}

/**
 * A log line as text with links: `manager NAME:` at its start links to that manager, and every
 * whole-word occurrence of an endpoint's name to the endpoint (still only text nodes and links).
 */
export function linkedText(text, endpointNames = []) {
  const parts = [];
  let rest = String(text);
  const manager = /^manager ([A-Za-z0-9_.:-]+?): /.exec(rest);
  if (manager) {
    parts.push('manager ', managerConfigLink(manager[1]), ': ');
    rest = rest.slice(manager[0].length);
  }
  const names = [...new Set(endpointNames)].filter((name) => name).sort((a, b) => b.length - a.length);
  if (!names.length) return el('span', {}, ...parts, rest);
  const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp('(?<![\\w.-])(' + escaped.join('|') + ')(?![\\w-]|\\.\\w)', 'g');
  let last = 0;
  for (const match of rest.matchAll(pattern)) {
    parts.push(rest.slice(last, match.index), endpointLink(match[1]));
    last = match.index + match[0].length;
  }
  parts.push(rest.slice(last));
  return el('span', {}, ...parts);
}

/** "12 s ago", "3 min ago", "2 h ago" for a time in seconds since 1970. */
export function ago(seconds) {
  const elapsed = Math.max(0, Date.now() / 1000 - seconds);
  if (elapsed < 90) return `${Math.round(elapsed)} s ago`;
  if (elapsed < 90 * 60) return `${Math.round(elapsed / 60)} min ago`;
  return `${Math.round(elapsed / 3600)} h ago`;
}

/** The owner: its name linked to its page (the uuid on hover), or "none". */
export function ownerLink(uuid, name) {
  if (!uuid) return el('span', { class: 'muted' }, 'none');
  const link = managerLink(uuid, name ?? uuid);
  link.title = 'manager ' + uuid;
  return link;
}

/** One badge per condition (type; its reason on hover), or a quiet "none". */
export function conditionBadges(conditions) {
  if (!conditions?.length) return el('span', { class: 'muted' }, 'none');
  return conditions.map((condition) =>
    el('span', { class: 'condition', title: condition.reason, 'data-condition': condition.type }, condition.type));
}
