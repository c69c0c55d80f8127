// One field: baseline against the range on shared bins, and its metrics over time.
import { get, versionPath, type Distribution, type Series, type Version } from "../api";
import type { ModelContext } from "../app";
import { useLoad } from "../hooks";
import { isoSeconds } from "../timerange";
import { alignAll, distributionBars } from "../transforms";
import { Status } from "../components/Status";
import { Bars } from "../components/Bars";
import { TimeChart, type ChartSeries } from "../components/TimeChart";
import { seriesQuery, stepOf } from "./OverviewPage";

export function fieldType(version: Version, field: string): string | undefined {
  for (const role of ["features", "predictions", "actuals", "raw"] as const) {
    const type = version.schema[role]?.[field];
    if (type !== undefined) return typeof type === "string" ? type : type.type;
  }
  return undefined;
}

interface Chart {
  title: string;
  lines: { metric: string; label: string; color: string }[];
  range?: [number, number];
}

function chartsFor(type: string | undefined): Chart[] {
  const common: Chart[] = [
    { title: "missing ratio", lines: [{ metric: "missing_ratio", label: "missing", color: "#d64545" }], range: [0, 1] },
    { title: "drift score", lines: [{ metric: "drift_score", label: "drift score", color: "#7b61ff" }] },
    { title: "distinct values", lines: [{ metric: "distinct_count", label: "distinct", color: "#3b6fd8" }] },
  ];
  if (type !== "numeric") return common;
  return [
    { title: "mean", lines: [{ metric: "mean", label: "mean", color: "#1f9d55" }] },
    {
      title: "quantiles",
      lines: [
        { metric: "p05", label: "p05", color: "#9db8ea" },
        { metric: "p50", label: "p50", color: "#3b6fd8" },
        { metric: "p95", label: "p95", color: "#1c3d80" },
      ],
    },
    ...common,
  ];
}

export function FieldPage({ context }: { context: ModelContext }) {
  const { model, version, range, route, granularity } = context;
  const field = route.field as string;
  const path = versionPath(model.name, version.version);
  const baseline = route.params.baseline === "validation" ? "validation" : "training";
  const type = fieldType(version, field);
  const keys = [path, field, range.from, range.to, context.segment, baseline];
  const distribution = useLoad(
    () => get<Distribution>(`${path}/distribution`, { field, baseline, from: isoSeconds(range.from), to: isoSeconds(range.to), segment: context.segment }),
    keys,
  );
  const charts = chartsFor(type);
  const series = useLoad(
    () => Promise.all(charts.map((chart) => Promise.all(chart.lines.map((line) =>
      get<Series>(`${path}/metrics`, seriesQuery(context, { metric: line.metric, field, baseline })))))),
    keys,
  );
  return (
    <>
      <h2 class="field-title">Field <code>{field}</code> <span class="muted small">{type ?? "not in this version's schema"}</span></h2>
      <section class="panel">
        <h2>Distribution: {baseline} against the range</h2>
        <Status of={distribution}>
          {(result) => (
            <>
              <p class="muted small">
                {result.baseline_rows ?? "?"} {baseline} rows, {result.current_rows ?? "?"} in the range
              </p>
              <Bars bars={distributionBars(result)} title={`${field}: ${baseline} and current shares per bin`} baselineLabel={baseline} />
            </>
          )}
        </Status>
      </section>
      <div class="grid">
        <Status of={series}>
          {(all) => charts.map((chart, i) => {
            const aligned = alignAll(all[i].map((s) => s.points), range.from, range.to, stepOf(granularity));
            const lines: ChartSeries[] = chart.lines.map((line, j) => ({ label: line.label, values: aligned.v[j], color: line.color }));
            return (
              <section class="panel">
                <h2>{chart.title}</h2>
                <TimeChart title={`${field} ${chart.title}`} timeZone={model.timezone} times={aligned.t} series={lines} yRange={chart.range} />
              </section>
            );
          })}
        </Status>
      </div>
    </>
  );
}
