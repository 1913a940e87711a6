// What the lists and pages show of every endpoint at once: GET /v1.1/summary, and an endpoint's
// current problems: GET …/conditions. From an API without those routes, the same is assembled
// from the per-endpoint routes (a request per fact; no aliases, fewer conditions).
import { ApiError, get, v, endpointPath } from './api.js';

// Routes this API has none of (it answered "no route for …"): not asked again on this page load.
const absent = new Set();

/** GET `path`, or undefined when the API has no such route. */
async function optional(path) {
  const route = path.replace(/\/endpoints\/[^/]+/, '/endpoints/*');
  if (absent.has(route)) return undefined;
  try {
    return await get(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && /^no route/.test(error.message)) {
      absent.add(route);
      return undefined;
    }
    throw error;
  }
}

/** {"endpoints": [...], "managers": [{id, name}]}, as GET /v1.1/summary answers. */
export async function summary() {
  return (await servedSummary()) ?? assembled();
}

/** GET /v1.1/summary, or undefined from an API without it. */
export const servedSummary = () => optional(v('/summary'));

async function assembled() {
  const [names, managers] = await Promise.all([get(v('/endpoints')), managerList()]);
  const nameOf = new Map(managers.map((manager) => [manager.id, manager.name]));
  const endpoints = await Promise.all(names.map(async (name) => {
    const [state, configuration, instances, decision] = await Promise.all([
      get(endpointPath(name, '/state')).catch(() => null),
      get(endpointPath(name)).catch(() => ({})),
      get(endpointPath(name, '/instances')).catch(() => []),
      get(endpointPath(name, '/decision')).catch(() => null),
    ]);
    const section = configuration.endpoint ?? {};
    const entry = {
      name, id: null, alias_of: null, state: state?.state ?? 'STOPPED', instances: instances.length,
      target: decision?.target ?? null, manager: state?.manager ?? null,
      manager_name: nameOf.get(state?.manager) ?? null, cloud: section.cloud ?? null,
      loadbalancer: section.loadbalancer ?? null, url: section.url ?? null,
    };
    entry.conditions = derived(entry, decision);
    return entry;
  }));
  return { endpoints, managers };
}

/** [{id, name}] of the running managers. */
async function managerList() {
  const ids = await get(v('/managers/active'));
  return Promise.all(ids.map(async (id) => {
    const info = await get(v('/managers/active/' + encodeURIComponent(id))).catch(() => null);
    return { id, name: info?.name ?? null };
  }));
}

/** An endpoint's current problems (CONDITION objects), newest first. */
export async function conditions(name, entry, decision) {
  const found = await optional(endpointPath(name, '/conditions'));
  return found ?? derived(entry, decision);
}

// The conditions an older API's answers show: a RUNNING endpoint no manager owns, launches held
// back because instances kept failing.
function derived(entry, decision) {
  const now = Date.now() / 1000;
  const found = [];
  const condition = (type, reason) => found.push({ type, reason, since: decision?.time ?? now, last_seen: now, source: 'dashboard' });
  if (entry?.state === 'RUNNING' && !entry.manager) condition('NoManager', 'no running manager owns this endpoint');
  for (const hold of decision?.held ?? []) {
    if (hold.by === 'launch_backoff') condition('LaunchFailing', hold.why);
  }
  return found;
}

/** The name of the manager `id` (from `managers`, else asked), or null. */
export async function managerName(id, managers = []) {
  if (!id) return null;
  const known = managers.find((manager) => manager.id === id);
  if (known) return known.name;
  const info = await get(v('/managers/active/' + encodeURIComponent(id))).catch(() => null);
  return info?.name ?? null;
}
