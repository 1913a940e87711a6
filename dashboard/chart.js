// A small live line graph in SVG: the last `window` seconds of one or more series.
import { el } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 300;
const HEIGHT = 80;

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

export class LiveChart {
  /**
   * @param {string} title shown above the graph and used as its accessible name
   * @param {{window?: number}} options seconds kept; default 300 (five minutes)
   */
  constructor(title, { window = 300 } = {}) {
    this.window = window;
    this.series = new Map();
    this.value = el('span', { class: 'chart-value' }, '–');
    this.legend = el('ul', { class: 'chart-legend' });
    this.plot = svg('svg', {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': title,
      class: 'chart-plot',
    });
    this.scale = el('span', { class: 'chart-scale muted' });
    this.node = el('figure', { class: 'chart' },
      el('figcaption', {}, el('span', { class: 'chart-title' }, title), this.value),
      this.plot, el('div', { class: 'chart-foot' }, this.legend, this.scale));
  }

  /** Adds a sample of series `name` (default the only one) at `time` (seconds; default now). */
  push(value, name = '', time = Date.now() / 1000) {
    if (!Number.isFinite(value)) return;
    if (!this.series.has(name)) this.series.set(name, []);
    this.series.get(name).push([time, value]);
  }

  /** Redraws; `shown` is the headline value (default the last sample of the only series). */
  render(shown) {
    const now = Date.now() / 1000;
    let oldest = now;
    for (const points of this.series.values()) {
      while (points.length > 1 && points[0][0] < now - this.window) points.shift();
      if (points.length) oldest = Math.min(oldest, points[0][0]);
    }
    // Until `window` seconds of samples exist, the graph spans what there is (at least 30 s).
    const span = Math.min(this.window, Math.max(30, now - oldest));
    const start = now - span;
    let top = 0;
    for (const points of this.series.values()) {
      for (const [, value] of points) top = Math.max(top, value);
    }
    top = top <= 0 ? 1 : top * 1.1;
    this.plot.replaceChildren(svg('line', { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: 'axis' }));
    this.legend.replaceChildren();
    let index = 0;
    for (const [name, points] of this.series) {
      const coordinates = points.map(([time, value]) =>
        `${(((time - start) / span) * WIDTH).toFixed(1)},${(HEIGHT - (value / top) * (HEIGHT - 4)).toFixed(1)}`);
      if (coordinates.length === 1) coordinates.push(`${WIDTH},${coordinates[0].split(',')[1]}`);
      this.plot.append(svg('polyline', { points: coordinates.join(' '), class: `line line-${index % 6}` }));
      if (name) {
        const last = points.length ? points[points.length - 1][1] : '–';
        this.legend.append(el('li', { class: `key key-${index % 6}` }, `${name}: ${format(last)}`));
      }
      index += 1;
    }
    this.scale.textContent = `max ${format(top / 1.1)} · last ${span < 90 ? Math.round(span) + ' s' : Math.round(span / 60) + ' min'}`;
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
