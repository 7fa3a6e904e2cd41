import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type ProcessDefinition, useText } from './api';

const BOX_W = 148;
const BOX_H = 50;
const GAP_X = 110;
const GAP_Y = 110;
const PAD = 40;
const ANY = '*';

interface Box {
  key: string;
  x: number;
  y: number;
  col: number;
  row: number;
}

interface Edge {
  id: string;
  from: string;
  to: string;
  label: string;
  approval: boolean;
}

/** Where a line from a box's centre towards (tx, ty) leaves the box. */
function clip(cx: number, cy: number, tx: number, ty: number, pad = 4): [number, number] {
  const dx = tx - cx;
  const dy = ty - cy;
  if (dx === 0 && dy === 0) return [cx, cy];
  const sx = dx === 0 ? Number.POSITIVE_INFINITY : (BOX_W / 2 + pad) / Math.abs(dx);
  const sy = dy === 0 ? Number.POSITIVE_INFINITY : (BOX_H / 2 + pad) / Math.abs(dy);
  const s = Math.min(sx, sy);
  return [cx + dx * s, cy + dy * s];
}

/**
 * The states of a definition as boxes in definition order (a grid that snakes left to right, then right to left),
 * transitions as labelled
 * arrows. The initial state is blue, final states have a double border, transitions that need approval are
 * orange; a transition from any state ("*") starts at a small "any state" marker.
 */
export function ProcessDiagram({
  definition,
  current,
  maxWidth,
}: {
  definition: ProcessDefinition | undefined;
  /** Highlights this state (a running instance's state). */
  current?: string;
  maxWidth?: number;
}) {
  const { t } = useTranslation();
  const text = useText();
  const states = Array.isArray(definition?.states)
    ? definition.states.filter((s) => s && typeof s.key === 'string')
    : [];
  if (!definition || !states.length) return <Empty description={t('processes.diagram.empty')} />;
  const transitions = Array.isArray(definition.transitions) ? definition.transitions : [];

  const hasAny = transitions.some((tr) => tr?.from === '*');
  const nodes = [...states.map((s) => s.key), ...(hasAny ? [ANY] : [])];
  const cols = Math.min(nodes.length, nodes.length <= 6 ? 3 : 4);
  const boxes = new Map<string, Box>();
  // A snake: odd rows run right to left, so a chain of states stays a chain of short arrows.
  nodes.forEach((key, i) => {
    const row = Math.floor(i / cols);
    const col = row % 2 === 0 ? i % cols : cols - 1 - (i % cols);
    if (!boxes.has(key))
      boxes.set(key, { key, col, row, x: PAD + col * (BOX_W + GAP_X), y: PAD + row * (BOX_H + GAP_Y) });
  });
  const rows = Math.ceil(nodes.length / cols);
  const width = PAD * 2 + cols * BOX_W + (cols - 1) * GAP_X;
  const height = PAD * 2 + rows * BOX_H + (rows - 1) * GAP_Y;

  const edges: Edge[] = [];
  transitions.forEach((tr, i) => {
    if (!tr || typeof tr.to !== 'string') return;
    const froms = tr.from === '*' ? [ANY] : Array.isArray(tr.from) ? tr.from : [];
    for (const f of froms) {
      if (!boxes.has(f) || !boxes.has(tr.to)) continue;
      edges.push({
        id: `${i}-${f}`,
        from: f,
        to: tr.to,
        label: text(tr.name, tr.key),
        approval: Boolean(tr.approval),
      });
    }
  });
  // Parallel edges fan out; an edge and its reverse bow to either side.
  const directed = new Map<string, number>();
  for (const e of edges) directed.set(`${e.from}>${e.to}`, (directed.get(`${e.from}>${e.to}`) ?? 0) + 1);
  const seen = new Map<string, number>();

  const initialKey = definition.initial;
  const paths = edges.map((e) => {
    const a = boxes.get(e.from)!;
    const b = boxes.get(e.to)!;
    const color = e.approval ? '#fa8c16' : '#8c8c8c';
    const marker = e.approval ? 'url(#arrow-approval)' : 'url(#arrow)';
    if (e.from === e.to) {
      // A loop above the box.
      const cx = a.x + BOX_W / 2;
      const y = a.y;
      const d = `M ${cx - 22} ${y - 2} C ${cx - 40} ${y - 50}, ${cx + 40} ${y - 50}, ${cx + 22} ${y - 4}`;
      return { e, d, lx: cx, ly: y - 44, color, marker };
    }
    const dk = `${e.from}>${e.to}`;
    const n = directed.get(dk) ?? 1;
    const idx = seen.get(dk) ?? 0;
    seen.set(dk, idx + 1);
    const reverse = directed.has(`${e.to}>${e.from}`);
    const acx = a.x + BOX_W / 2;
    const acy = a.y + BOX_H / 2;
    const bcx = b.x + BOX_W / 2;
    const bcy = b.y + BOX_H / 2;
    const dx = bcx - acx;
    const dy = bcy - acy;
    const len = Math.hypot(dx, dy) || 1;
    const nx = -dy / len;
    const ny = dx / len;
    // Long hops along a row or column arc around the boxes in between (forward above, backward below).
    const hops = Math.max(Math.abs(a.col - b.col), Math.abs(a.row - b.row));
    const straight = a.row === b.row || a.col === b.col;
    const skip = straight && hops > 1 ? 30 + 16 * (hops - 1) : 0;
    const bow = -(skip + (reverse ? 18 : 0) + (idx - (n - 1) / 2) * 30);
    const mx = (acx + bcx) / 2 + nx * bow;
    const my = (acy + bcy) / 2 + ny * bow;
    // Control point so that the curve passes through (mx, my).
    const qx = 2 * mx - (acx + bcx) / 2;
    const qy = 2 * my - (acy + bcy) / 2;
    const [sx, sy] = clip(acx, acy, qx, qy, 2);
    const [ex, ey] = clip(bcx, bcy, qx, qy, 6);
    const d = `M ${sx} ${sy} Q ${qx} ${qy} ${ex} ${ey}`;
    return { e, d, lx: mx, ly: my, color, marker };
  });

  return (
    <div style={{ overflowX: 'auto' }}>
      <svg
        role="img"
        aria-label={text(definition.name, definition.key)}
        data-testid="process-diagram"
        viewBox={`0 0 ${width} ${height}`}
        width={Math.min(width, maxWidth ?? width)}
        style={{ maxWidth: '100%', height: 'auto', fontFamily: 'inherit' }}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#8c8c8c" />
          </marker>
          <marker
            id="arrow-approval"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#fa8c16" />
          </marker>
        </defs>
        {paths.map((p) => (
          <path
            key={`p-${p.e.id}`}
            d={p.d}
            fill="none"
            stroke={p.color}
            strokeWidth={1.6}
            strokeDasharray={p.e.from === ANY ? '5 4' : undefined}
            markerEnd={p.marker}
          />
        ))}
        {nodes.map((key) => {
          const b = boxes.get(key)!;
          if (key === ANY) {
            return (
              <g key="any" data-state="*">
                <rect
                  x={b.x + 14}
                  y={b.y + 6}
                  width={BOX_W - 28}
                  height={BOX_H - 12}
                  rx={19}
                  fill="#fafafa"
                  stroke="#bfbfbf"
                  strokeDasharray="4 3"
                />
                <text
                  x={b.x + BOX_W / 2}
                  y={b.y + BOX_H / 2 + 4}
                  textAnchor="middle"
                  fontSize={12}
                  fill="#8c8c8c"
                >
                  {t('processes.diagram.anyState')}
                </text>
              </g>
            );
          }
          const s = states.find((x) => x.key === key)!;
          const initial = key === initialKey;
          const isCurrent = key === current;
          const stroke = isCurrent ? '#52c41a' : initial ? '#1677ff' : '#595959';
          const fill = isCurrent ? '#f6ffed' : initial ? '#e6f4ff' : '#fff';
          const name = text(s.name, s.key);
          return (
            <g key={key} data-state={key}>
              <rect
                x={b.x}
                y={b.y}
                width={BOX_W}
                height={BOX_H}
                rx={8}
                fill={fill}
                stroke={stroke}
                strokeWidth={initial || isCurrent ? 2.4 : 1.4}
              />
              {s.final && (
                <rect
                  x={b.x + 4}
                  y={b.y + 4}
                  width={BOX_W - 8}
                  height={BOX_H - 8}
                  rx={5}
                  fill="none"
                  stroke={stroke}
                  strokeWidth={1.2}
                />
              )}
              <text
                x={b.x + BOX_W / 2}
                y={b.y + 22}
                textAnchor="middle"
                fontSize={14}
                fontWeight={600}
                fill="#1f1f1f"
              >
                {name.length > 12 ? `${name.slice(0, 11)}…` : name}
                <title>{name}</title>
              </text>
              <text x={b.x + BOX_W / 2} y={b.y + 39} textAnchor="middle" fontSize={10.5} fill="#8c8c8c">
                {key}
                {initial ? ` · ${t('processes.diagram.initial')}` : ''}
                {s.final ? ` · ${t('processes.diagram.final')}` : ''}
              </text>
            </g>
          );
        })}
        {paths.map((p) => (
          <text
            key={`l-${p.e.id}`}
            x={p.lx}
            y={p.ly + 4}
            textAnchor="middle"
            fontSize={12}
            fill={p.e.approval ? '#d46b08' : '#434343'}
            stroke="#fff"
            strokeWidth={4}
            strokeLinejoin="round"
            paintOrder="stroke"
          >
            {p.e.approval ? `🔒 ${p.e.label}` : p.e.label}
          </text>
        ))}
      </svg>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('processes.diagram.legend')}
      </Typography.Text>
    </div>
  );
}
