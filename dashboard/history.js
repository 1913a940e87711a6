// Reading an endpoint's log for its overview: the owner's decision lines ("manager host-a: target
// 3 → 5: rule …"), its activity (launches, decommissions, failures), and the bands of the rules.

/** The message without the "manager NAME: " its owner puts first. */
export function withoutManager(text) {
  return String(text).replace(/^manager [A-Za-z0-9_.:-]+?: /, '');
}

/** {from, to} of a decision line (the count before and the target), or null for other lines. */
export function decisionLine(text) {
  const message = withoutManager(text);
  let match = /^(?:dry run: )?target (\d+) → (\d+)[:\s]/.exec(message);
  if (match) return { from: Number(match[1]), to: Number(match[2]) };
  match = /^endpoint is STOPPED: target 0 \(was (\d+)\)/.exec(message);
  if (match) return { from: Number(match[1]), to: 0 };
  return null;
}

/**
 * What an activity line is: "launch", "decommission" or "failure" (with `change`, what it did to
 * the active count), or null for the lines that are not activity.
 */
export function activity(severity, text) {
  const message = withoutManager(text);
  if (/^(launched|recommissioned) instance /.test(message)) return { kind: 'launch', change: 1 };
  if (/^decommissioned instance /.test(message)) return { kind: 'decommission', change: -1 };
  if (/^deleting decommissioned instance /.test(message)) return { kind: 'decommission', change: 0 };
  if (/^(instance \S+ (failed|errored)|forgot instance|deleting instance \S+: it did not register)/.test(message)) {
    return { kind: 'failure', change: -1 };
  }
  if (severity === 'ERROR' || severity === 'WARNING') return { kind: 'failure', change: 0 };
  return null;
}

const RULE = /^\s*(?:([0-9.][0-9.eE+-]*)\s*<=?\s*)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:<=?\s*([0-9.][0-9.eE+-]*))?\s*$/;

/**
 * The metric rules of `[scaling] rules` ("2 <= active <= 8, rate <= 50"): one {metric, low, high,
 * rules} per metric (the band where no rule asks for a change; null for an open side).
 */
export function ruleBands(rules) {
  const bands = new Map();
  for (const piece of String(rules ?? '').split(',')) {
    const match = RULE.exec(piece);
    if (!match || match[2] === 'instances') continue;
    const low = match[1] === undefined ? null : Number(match[1]);
    const high = match[3] === undefined ? null : Number(match[3]);
    const band = bands.get(match[2]);
    if (!band) {
      bands.set(match[2], { metric: match[2], low, high, rules: [piece.trim()] });
      continue;
    }
    // Two rules on one metric: the band is where both hold.
    band.low = low === null ? band.low : Math.max(band.low ?? low, low);
    band.high = high === null ? band.high : Math.min(band.high ?? high, high);
    band.rules.push(piece.trim());
  }
  return [...bands.values()];
}
