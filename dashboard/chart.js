// A small live line graph in SVG: the last `window` seconds of one or more series, optionally
// drawn as steps (counts), with a shaded band (a rule's low…high) and marked moments (decisions,
// whose reason shows on hover).
import { el } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 300;
const HEIGHT = 80;

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

export class LiveChart {
  /**
   * @param {string} title shown above the graph and used as its accessible name
   * @param {{window?: number, steps?: boolean, label?: string}} options
   *   window: seconds kept, default 300 (five minutes); steps: draw each value until the next
   *   (for counts); label: what the headline number is, default "now"
   */
  constructor(title, { window = 300, steps = false, label = 'now' } = {}) {
    this.window = window;
    this.steps = steps;
    this.series = new Map();
    this.marks = [];
    this.bandRange = null;
    this.value = el('span', { class: 'chart-value' }, '–');
    this.label = el('span', { class: 'chart-value-label muted' }, label);
    this.legend = el('ul', { class: 'chart-legend' });
    this.plot = svg('svg', {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': title,
      class: 'chart-plot',
    });
    this.scale = el('span', { class: 'chart-scale muted' });
    this.node = el('figure', { class: 'chart' },
      el('figcaption', {}, el('span', { class: 'chart-title' }, title), el('span', {}, this.value, ' ', this.label)),
      this.plot, el('div', { class: 'chart-foot' }, this.legend, this.scale));
  }

  /** Adds a sample of series `name` (default the only one) at `time` (seconds; default now). */
  push(value, name = '', time = Date.now() / 1000) {
    if (!Number.isFinite(value)) return;
    if (!this.series.has(name)) this.series.set(name, []);
    const points = this.series.get(name);
    points.push([time, value]);
    if (points.length > 1 && points[points.length - 2][0] > time) points.sort((a, b) => a[0] - b[0]);
  }

  /** Marks a moment (a decision): a dot on the graph whose `text` shows on hover. */
  mark(time, text) {
    if (this.marks.some((mark) => mark.time === time)) return;
    this.marks.push({ time, text });
    this.marks.sort((a, b) => a.time - b.time);
  }

  /**
   * Shades the values from `low` to `high` (either may be null: open on that side); `text` names
   * the band below the graph (default "band low…high").
   */
  band(low, high, text) {
    const shown = `band ${format(low ?? 0)}…${high === null ? '∞' : format(high)}`;
    this.bandRange = low === null && high === null ? null : { low, high, text: text ?? shown };
  }

  /** The number of samples kept, over every series. */
  get samples() {
    let count = 0;
    for (const points of this.series.values()) count += points.length;
    return count;
  }

  /** Redraws; `shown` is the headline value (default the last sample of the only series). */
  render(shown) {
    const now = Date.now() / 1000;
    let oldest = now;
    for (const points of this.series.values()) {
      while (points.length > 1 && points[1][0] < now - this.window) points.shift();
      if (points.length) oldest = Math.min(oldest, points[0][0]);
    }
    while (this.marks.length && this.marks[0].time < now - this.window) this.marks.shift();
    // Until `window` seconds of samples exist, the graph spans what there is (at least 30 s).
    const span = Math.min(this.window, Math.max(30, now - oldest));
    const start = now - span;
    let peak = 0;
    for (const points of this.series.values()) {
      for (const [, value] of points) peak = Math.max(peak, value);
    }
    const top = Math.max(peak, this.bandRange?.high ?? 0, this.bandRange?.low ?? 0) * 1.15 || 1;
    const x = (time) => Math.max(0, ((time - start) / span) * WIDTH);
    const y = (value) => HEIGHT - (value / top) * (HEIGHT - 4);
    this.plot.replaceChildren();
    if (this.bandRange) {
      const high = this.bandRange.high ?? top;
      const low = this.bandRange.low ?? 0;
      this.plot.append(svg('rect', { x: 0, width: WIDTH, y: y(high), height: Math.max(0.5, y(low) - y(high)), class: 'band' }));
    }
    this.plot.append(svg('line', { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: 'axis' }));
    this.legend.replaceChildren();
    let index = 0;
    for (const [name, points] of this.series) {
      const coordinates = [];
      points.forEach(([time, value], at) => {
        if (this.steps && at > 0) coordinates.push([x(time), y(points[at - 1][1])]);
        coordinates.push([x(time), y(value)]);
      });
      if (coordinates.length) coordinates.push([WIDTH, coordinates[coordinates.length - 1][1]]);
      const text = coordinates.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
      this.plot.append(svg('polyline', { points: text, class: `line line-${index % 6}`, 'data-points': points.length }));
      if (name) {
        const last = points.length ? points[points.length - 1][1] : '–';
        this.legend.append(el('li', { class: `key key-${index % 6}` }, `${name}: ${format(last)}`));
      }
      index += 1;
    }
    for (const mark of this.marks) {
      // A thin line for the moment and a wide transparent one to hover; the title is the tooltip.
      this.plot.append(svg('g', { class: 'chart-mark' }, svg('title', {}, mark.text),
        svg('line', { x1: x(mark.time), x2: x(mark.time), y1: 0, y2: HEIGHT, class: 'mark' }),
        svg('line', { x1: x(mark.time), x2: x(mark.time), y1: 0, y2: HEIGHT, class: 'mark-hover' })));
    }
    const band = this.bandRange ? ` · ${this.bandRange.text}` : '';
    const spanText = span < 90 ? Math.round(span) + ' s' : Math.round(span / 60) + ' min';
    this.scale.textContent = `peak ${format(peak)} in the last ${spanText}${band}`;
    if (shown !== undefined) {
      this.value.textContent = format(shown);
    } else if (this.series.size === 1) {
      const points = [...this.series.values()][0];
      this.value.textContent = points.length ? format(points[points.length - 1][1]) : '–';
    }
  }
}

export function format(value) {
  if (typeof value !== 'number') return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
