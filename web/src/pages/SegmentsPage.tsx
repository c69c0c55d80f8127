// One metric for several segments side by side: every segment of the version and all rows.
import { get, versionPath, type Series } from "../api";
import type { ModelContext } from "../app";
import { useLoad } from "../hooks";
import { alignAll, performanceMetricsFor } from "../transforms";
import { Status } from "../components/Status";
import { TimeChart } from "../components/TimeChart";
import { seriesQuery, stepOf } from "./OverviewPage";

const palette = ["#3b6fd8", "#d64545", "#1f9d55", "#d9822b", "#7b61ff", "#13a3a3", "#a35513", "#888"];
const fieldMetrics = ["missing_ratio", "mean", "p50", "drift_score", "distinct_count", "count"];

export function SegmentsPage({ context }: { context: ModelContext }) {
  const { model, version, range, route, granularity } = context;
  const path = versionPath(model.name, version.version);
  const performance = performanceMetricsFor(model.task, version.schema);
  const fields = [...Object.keys(version.schema.features ?? {}), ...Object.keys(version.schema.predictions ?? {})];
  const metric = route.params.metric ?? "count";
  const isPerformance = performance.includes(metric);
  const field = route.params.field ?? fields[0];
  const segments = [undefined, ...version.segments.map((s) => s.name)];
  const loaded = useLoad(
    () => Promise.all(segments.map((segment) =>
      get<Series>(`${path}/${isPerformance ? "performance" : "metrics"}`,
        { ...seriesQuery(context, { metric }), segment, ...(isPerformance || metric === "count" ? {} : { field }) }))),
    [path, metric, field, range.from, range.to],
  );
  return (
    <section class="panel">
      <h2>Segments side by side</h2>
      <div class="controls">
        <label>
          metric{" "}
          <select value={metric} onChange={(e) => context.navigate({ metric: e.currentTarget.value })}>
            <optgroup label="field metrics">{fieldMetrics.map((m) => <option value={m}>{m}</option>)}</optgroup>
            <optgroup label="performance">{performance.map((m) => <option value={m}>{m}</option>)}</optgroup>
          </select>
        </label>
        {!isPerformance && metric !== "count" && (
          <label>
            field{" "}
            <select value={field} onChange={(e) => context.navigate({ field: e.currentTarget.value })}>
              {fields.map((f) => <option value={f}>{f}</option>)}
            </select>
          </label>
        )}
      </div>
      {version.segments.length === 0 && <p class="muted">This version defines no segments.</p>}
      <Status of={loaded}>
        {(list) => {
          const aligned = alignAll(list.map((s) => s.points), range.from, range.to, stepOf(granularity));
          return (
            <TimeChart title={`${metric} by segment`} timeZone={model.timezone} times={aligned.t} height={320}
              series={aligned.v.map((values, i) => ({ label: segments[i] ?? "all rows", values, color: palette[i % palette.length], dash: i === 0 }))} />
          );
        }}
      </Status>
    </section>
  );
}
