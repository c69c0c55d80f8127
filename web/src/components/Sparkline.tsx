// A small inline line of a series (SVG), for tables: cheap enough for a hundred rows.
interface Props {
  values: (number | null)[];
  label: string;
  width?: number;
  height?: number;
  threshold?: number | null;
}

export function Sparkline({ values, label, width = 120, height = 24, threshold }: Props) {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return <span class="muted">no data</span>;
  let low = Math.min(...known);
  let high = Math.max(...known);
  if (threshold !== undefined && threshold !== null) {
    low = Math.min(low, threshold);
    high = Math.max(high, threshold);
  }
  const span = high - low || 1;
  const x = (i: number) => (values.length === 1 ? width / 2 : (i / (values.length - 1)) * (width - 2) + 1);
  const y = (v: number) => height - 2 - ((v - low) / span) * (height - 4);
  let path = "";
  let drawing = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      drawing = false;
      return;
    }
    path += `${drawing ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    drawing = true;
  });
  return (
    <svg class="sparkline" width={width} height={height} role="img" aria-label={label}>
      {threshold !== undefined && threshold !== null && (
        <line x1={0} x2={width} y1={y(threshold)} y2={y(threshold)} class="threshold" />
      )}
      <path d={path} />
    </svg>
  );
}
