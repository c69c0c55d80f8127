// Baseline and current shares on shared bins, side by side per bin.
import type { Bar } from "../transforms";
import { formatPercent } from "../format";

interface Props {
  bars: Bar[];
  title: string;
  baselineLabel: string;
}

export function Bars({ bars, title, baselineLabel }: Props) {
  const top = Math.max(0.0001, ...bars.map((bar) => Math.max(bar.baseline, bar.current)));
  return (
    <figure class="bars" aria-label={title}>
      <div class="legend">
        <span class="swatch baseline" /> {baselineLabel} <span class="swatch current" /> current
      </div>
      <div class="bar-area" role="list">
        {bars.map((bar) => (
          <div class="bin" role="listitem" title={`${bar.label}: ${baselineLabel} ${formatPercent(bar.baseline)}, current ${formatPercent(bar.current)}`}>
            <div class="pair">
              <div class="bar baseline" style={{ height: `${(bar.baseline / top) * 100}%` }} />
              <div class="bar current" style={{ height: `${(bar.current / top) * 100}%` }} />
            </div>
            <div class="bin-label">{bar.label}</div>
          </div>
        ))}
      </div>
    </figure>
  );
}
