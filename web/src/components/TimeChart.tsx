// A time-series chart on uPlot (canvas, fast with 90 days of hourly points), its axes in the
// model's time zone. Series may carry a shaded band (lower..upper) and marker-only points; a value
// with no neighbour on a line is marked, since a line through gaps would not show it.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatNumber, formatTime } from "../format";
import { isolatedPoints } from "../transforms";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  dash?: boolean;
  points?: boolean; // markers only, no line
  fill?: string;
}

export interface ChartBand {
  lower: (number | null)[];
  upper: (number | null)[];
  fill: string;
  label: string;
}

interface Props {
  title: string;
  times: number[];
  series: ChartSeries[];
  band?: ChartBand;
  timeZone: string;
  height?: number;
  yRange?: [number, number];
}

function isolatedMarks(values: (number | null)[]): number[] | null {
  const isolated = isolatedPoints(values);
  return isolated.length > 0 ? isolated : null;
}

export function TimeChart({ title, times, series, band, timeZone, height = 200, yRange }: Props) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const data: uPlot.AlignedData = [times];
    const specs: uPlot.Series[] = [{ label: "time", value: (_u, t) => (t == null ? "" : formatTime(t, timeZone)) }];
    if (band) {
      data.push(band.lower, band.upper);
      specs.push(
        { label: `${band.label} (low)`, stroke: "transparent", points: { show: false } },
        { label: `${band.label} (high)`, stroke: "transparent", points: { show: false } },
      );
    }
    for (const s of series) {
      data.push(s.values);
      specs.push({
        label: s.label,
        stroke: s.points ? "transparent" : s.color,
        width: 1.5,
        dash: s.dash ? [6, 4] : undefined,
        fill: s.fill,
        spanGaps: false,
        points: s.points
          ? { show: true, size: 7, fill: s.color, stroke: s.color }
          : { show: false, size: 6, fill: s.color, stroke: s.color, filter: isolatedMarks(s.values) },
        value: (_u, v) => formatNumber(v),
      });
    }
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      series: specs,
      tzDate: (t) => uPlot.tzDate(new Date(t * 1e3), timeZone),
      scales: { x: { time: true }, y: yRange ? { range: yRange } : { auto: true } },
      axes: [{}, { values: (_u, ticks) => ticks.map((tick) => formatNumber(tick)), size: 60 }],
      bands: band ? [{ series: [2, 1], fill: band.fill }] : undefined,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
    };
    const plot = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, series, band, timeZone, height, yRange]);
  return <figure class="chart" aria-label={`${title}, times in ${timeZone}`} ref={container} />;
}
