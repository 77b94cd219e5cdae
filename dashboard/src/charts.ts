/** Hand-drawn SVG charts: a horizontal bar chart and a donut, each with its numbers as text. */
import { h, s } from './dom.js';
import { barLengths } from './metrics.js';

const BAR_W = 260;
const ROW_H = 22;

/** One bar per `[label, count]`; `name` becomes data-chart, for tests and styling; `hrefOf` links a bar. */
export function barChart(
  name: string,
  entries: readonly [string, number][],
  hrefOf?: (label: string) => string,
): Element {
  if (entries.length === 0) return h('p', { class: 'muted' }, 'no clusters');
  const lengths = barLengths(
    entries.map(([, n]) => n),
    BAR_W,
  );
  const labelW = 110;
  const svg = s(
    'svg',
    {
      'data-chart': name,
      viewBox: `0 0 ${labelW + BAR_W + 60} ${entries.length * ROW_H}`,
      role: 'img',
      'aria-label': entries.map(([l, n]) => `${l}: ${n}`).join(', '),
    },
    ...entries.map(([label, n], i) =>
      linked(
        hrefOf?.(label),
        'g',
        { transform: `translate(0 ${i * ROW_H})`, 'data-label': label, 'data-count': n },
        s('text', { x: labelW - 6, y: 15, 'text-anchor': 'end', class: 'axis' }, label),
        s('rect', { x: labelW, y: 3, width: Math.max(1, lengths[i] ?? 0), height: ROW_H - 6, class: 'bar' }),
        s('text', { x: labelW + (lengths[i] ?? 0) + 6, y: 15, class: 'value' }, n),
      ),
    ),
  );
  return svg;
}

/** An SVG element, wrapped in an SVG link when `href` is given. */
function linked(
  href: string | undefined,
  tag: string,
  ...rest: Parameters<typeof s> extends [string, ...infer R] ? R : never
): SVGElement {
  const el = s(tag, ...rest);
  return href ? s('a', { href, class: 'chart-link' }, el) : el;
}

/** A donut of `[label, count]` with a legend; slice colours come from `slice-<label>` classes. */
export function donutChart(
  name: string,
  entries: readonly [string, number][],
  hrefOf?: (label: string) => string,
): Element {
  const all = entries.reduce((n, [, c]) => n + c, 0);
  if (all === 0) return h('p', { class: 'muted' }, 'no clusters');
  const r = 15.915; // circumference 100: dash lengths are percentages
  let offset = 25; // start at 12 o'clock
  const slices = entries.map(([label, n]) => {
    const pct = (n * 100) / all;
    const c = s('circle', {
      cx: 21,
      cy: 21,
      r,
      class: `slice slice-${label.toLowerCase()}`,
      'stroke-dasharray': `${pct} ${100 - pct}`,
      'stroke-dashoffset': offset,
    });
    offset -= pct;
    return c;
  });
  return h(
    'div',
    { class: 'donut' },
    s(
      'svg',
      { 'data-chart': name, viewBox: '0 0 42 42', role: 'img', 'aria-label': `${all} clusters` },
      s('circle', { cx: 21, cy: 21, r, class: 'slice-bg' }),
      ...slices,
      s('text', { x: 21, y: 23.5, 'text-anchor': 'middle', class: 'donut-total' }, all),
    ),
    h(
      'ul',
      { class: 'legend' },
      ...entries.map(([label, n]) => {
        const href = hrefOf?.(label);
        const text = href ? h('a', { href, 'data-label': label }, label) : label;
        return h(
          'li',
          {},
          h('span', { class: `swatch slice-${label.toLowerCase()}` }),
          text,
          ' ',
          h('b', {}, n),
        );
      }),
    ),
  );
}
