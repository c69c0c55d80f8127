// A model at a glance: volume, the prediction's distribution over time (a multiclass classifier's
// predicted classes against the baseline), performance with label coverage and delay (a binary
// classifier's estimated from its scores beside it), a classifier's confusion matrix, and the open
// alerts.
import { useMemo } from "preact/hooks";
import { ApiError, get, versionPath, type Alert, type ConfusionMatrix, type Distribution, type Series, type Version } from "../api";
import type { ModelContext } from "../app";
import { useLoad } from "../hooks";
import { isoSeconds } from "../timerange";
import { alignAll, alignSeries, distributionBars, estimateColumns, estimatedMetricOf, performanceMetricsFor } from "../transforms";
import { Bars } from "../components/Bars";
import { ConfusionTable } from "../components/ConfusionTable";
import { Status } from "../components/Status";
import { TimeChart } from "../components/TimeChart";
import { AlertTable } from "./AlertsPage";

const maxConfusionClasses = 20;

export const stepOf = (granularity: string) => (granularity === "hour" ? 3600 : 86400);

// The query of a series of this page's version, range, segment and granularity.
export function seriesQuery(context: ModelContext, extra: Record<string, string>) {
  return {
    from: isoSeconds(context.range.from),
    to: isoSeconds(context.range.to),
    granularity: context.granularity,
    segment: context.segment,
    ...extra,
  };
}

export function firstField(version: Version, role: "predictions" | "features", numeric: boolean): string | undefined {
  const fields = version.schema[role] ?? {};
  return Object.keys(fields).find((name) => (fields[name] === "numeric") === numeric);
}

export function OverviewPage({ context }: { context: ModelContext }) {
  const { model, version, range, granularity, route } = context;
  const path = versionPath(model.name, version.version);
  const metrics = performanceMetricsFor(model.task, version.schema);
  const metric = route.params.metric && metrics.includes(route.params.metric) ? route.params.metric : metrics[0];
  // A multiclass classifier predicts a class: the shares of the classes say what its numeric
  // predictions (one class's probability each) do not.
  const predictedClass = model.task === "multiclass_classification" ? firstField(version, "predictions", false) : undefined;
  const prediction = predictedClass ? undefined : firstField(version, "predictions", true);
  const keys = [path, range.from, range.to, context.segment, metric];
  const volume = useLoad(() => get<Series>(`${path}/metrics`, seriesQuery(context, { metric: "count" })), keys);
  const quantiles = useLoad(
    () =>
      prediction
        ? Promise.all(["p10", "p50", "p90"].map((q) => get<Series>(`${path}/metrics`, seriesQuery(context, { metric: q, field: prediction }))))
        : Promise.resolve([]),
    keys,
  );
  // Against the training baseline; a version without one says so (404) instead of drawing.
  const classShares = useLoad(
    () =>
      predictedClass
        ? get<Distribution>(`${path}/distribution`, { field: predictedClass, from: isoSeconds(range.from), to: isoSeconds(range.to), segment: context.segment })
            .catch((error: unknown) => {
              if (error instanceof ApiError && error.status === 404) return error.detail;
              throw error;
            })
        : Promise.resolve(undefined),
    [path, range.from, range.to, context.segment],
  );
  // A binary classifier's accuracy, F1 and the like are estimated from the scores too, before
  // labels come, calibrated on the labelled baseline the realized series names as its reference:
  // without one there is nothing to ask for. (The server still explains, 422, a baseline it
  // cannot calibrate on, such as one whose actuals are all of one class.)
  const estimated = estimatedMetricOf(model.task, metric);
  const performance = useLoad(async () => {
    if (!metric) return undefined;
    const [values, coverage] = await Promise.all([
      get<Series>(`${path}/performance`, seriesQuery(context, { metric })),
      get<Series>(`${path}/performance`, seriesQuery(context, { metric: "label_coverage" })),
    ]);
    let estimate: Series | string | undefined;
    if (estimated && !values.reference) {
      estimate = "this version has no validation (or training) set logged with actuals to calibrate its scores on";
    } else if (estimated) {
      estimate = await get<Series>(`${path}/performance`, seriesQuery(context, { metric: estimated })).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 422) return error.detail;
        throw error;
      });
    }
    return [values, coverage, estimate] as const;
  }, keys);
  // How long labels take: the median and 90th percentile of the delay from prediction to actual.
  const delays = useLoad(
    () =>
      metric
        ? Promise.all(["label_delay_p50", "label_delay_p90"].map((q) => get<Series>(`${path}/performance`, seriesQuery(context, { metric: q }))))
        : Promise.resolve([]),
    [path, range.from, range.to, context.segment, metric === undefined],
  );
  const classifier = model.task === "binary_classification" || model.task === "multiclass_classification";
  const confusion = useLoad(
    () =>
      classifier
        ? get<ConfusionMatrix>(`${path}/confusion_matrix`, { from: isoSeconds(range.from), to: isoSeconds(range.to), segment: context.segment })
        : Promise.resolve(undefined),
    [path, range.from, range.to, context.segment],
  );
  const alerts = useLoad(() => get<{ alerts: Alert[] }>("/alerts"), [model.name]);
  const step = stepOf(granularity);
  const align = (series: Series) => alignSeries(series.points, range.from, range.to, step);
  const volumeChart = useMemo(() => volume.data && align(volume.data), [volume.data]);
  return (
    <div class="grid">
      <section class="panel">
        <h2>Volume <span class="muted small">rows per {granularity}</span></h2>
        <Status of={volume}>
          {() => volumeChart && (
            <TimeChart title="rows" timeZone={model.timezone} times={volumeChart.t}
              series={[{ label: "rows", values: volumeChart.v, color: "#3b6fd8", fill: "rgba(59,111,216,0.12)" }]} />
          )}
        </Status>
      </section>
      {predictedClass ? (
        <section class="panel">
          <h2>Predicted class <code>{predictedClass}</code> <span class="muted small">shares in the range and in the baseline</span></h2>
          <Status of={classShares}>
            {(shares) => {
              if (typeof shares === "string") return <p class="muted">{shares}</p>;
              return shares && (
                <Bars bars={distributionBars(shares)} title={`${predictedClass}: ${shares.baseline} and current shares per class`} baselineLabel={shares.baseline} />
              );
            }}
          </Status>
        </section>
      ) : (
        <section class="panel">
          <h2>Prediction {prediction && <code>{prediction}</code>} <span class="muted small">10th, 50th and 90th percentile</span></h2>
          <Status of={quantiles}>
            {(list) => {
              if (!prediction || list.length === 0) return <p class="muted">No numeric prediction in this version.</p>;
              const { t, v: [p10, p50, p90] } = alignAll(list.map((s) => s.points), range.from, range.to, step);
              return (
                <TimeChart title={`${prediction} percentiles`} timeZone={model.timezone} times={t}
                  band={{ lower: p10, upper: p90, fill: "rgba(123,97,255,0.15)", label: "p10–p90" }}
                  series={[{ label: "median", values: p50, color: "#7b61ff" }]} />
              );
            }}
          </Status>
        </section>
      )}
      <section class="panel">
        <h2>
          Performance{" "}
          <label class="small">
            metric{" "}
            <select value={metric} onChange={(e) => context.navigate({ metric: e.currentTarget.value })}>
              {metrics.map((m) => <option value={m}>{m}</option>)}
            </select>
          </label>
        </h2>
        <Status of={performance}>
          {(pair) => {
            if (!pair) return <p class="muted">No performance metrics for {model.task}.</p>;
            const [values, coverage, estimate] = pair;
            const line = align(values);
            const covered = align(coverage);
            const reference = values.reference?.value;
            const guess = typeof estimate === "object" ? estimateColumns(estimate.points, range.from, range.to, step) : undefined;
            return (
              <>
                <TimeChart title={metric} timeZone={model.timezone} times={line.t}
                  band={guess && { lower: guess.lower, upper: guess.upper, fill: "rgba(123,97,255,0.12)", label: "estimate 95%" }}
                  series={[
                    { label: metric, values: line.v, color: "#1f9d55" },
                    ...(guess ? [{ label: `estimated ${metric}`, values: guess.value, color: "#7b61ff", dash: true }] : []),
                    ...(reference !== undefined && reference !== null
                      ? [{ label: `${values.reference?.baseline} reference`, values: line.t.map(() => reference), color: "#888", dash: true }]
                      : []),
                  ]} />
                {typeof estimate === "string" && <p class="muted small">No estimate before labels: {estimate}</p>}
                <TimeChart title="label coverage" timeZone={model.timezone} times={covered.t} height={110} yRange={[0, 1]}
                  series={[{ label: "label coverage", values: covered.v, color: "#d9822b", fill: "rgba(217,130,43,0.18)" }]} />
              </>
            );
          }}
        </Status>
        <Status of={delays}>
          {(list) => {
            if (list.length === 0 || list.every((series) => series.points.length === 0)) return null;
            const { t, v: [p50, p90] } = alignAll(list.map((series) => series.points), range.from, range.to, step);
            const hours = (values: (number | null)[]) => values.map((value) => (value === null ? null : value / 3600));
            return (
              <TimeChart title="label delay in hours" timeZone={model.timezone} times={t} height={110}
                series={[
                  { label: "label delay p50 (h)", values: hours(p50), color: "#8a5a2b" },
                  { label: "p90 (h)", values: hours(p90), color: "#c9a27a", dash: true },
                ]} />
            );
          }}
        </Status>
      </section>
      {classifier && (
        <section class="panel">
          <h2>Confusion matrix <span class="muted small">labelled predictions in the range</span></h2>
          <Status of={confusion}>
            {(matrix) => {
              if (!matrix || matrix.labeled === 0) return <p class="muted">No labelled predictions in this range yet.</p>;
              if (matrix.labels.length > maxConfusionClasses) {
                return <p class="muted">{matrix.labels.length} classes: too many to draw; the API has the matrix (<code>confusion_matrix</code>).</p>;
              }
              return (
                <>
                  <p class="muted small">{matrix.labeled.toLocaleString("en-US")} labelled</p>
                  <ConfusionTable matrix={matrix} />
                </>
              );
            }}
          </Status>
        </section>
      )}
      <section class="panel">
        <h2>Open alerts</h2>
        <Status of={alerts}>
          {({ alerts: list }) => (
            <AlertTable context={context} alerts={list.filter((a) => a.model === model.name && (a.state === "firing" || a.state === "pending"))} />
          )}
        </Status>
      </section>
    </div>
  );
}
