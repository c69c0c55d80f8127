// The data shaping the pages draw from, kept free of the DOM so Vitest checks it directly.
import type { AlertState, BacktestPoint, Distribution, DriftColumn, Point, Version } from "./api";

// Methods whose score is a p-value: smaller means more drift.
const pValueMethods = new Set([
  "ks", "chisquare", "z", "t_test", "mannw", "cramer_von_mises", "anderson", "g_test", "fisher_exact",
]);

export function isPValueMethod(method: string | null): boolean {
  return method !== null && pValueMethods.has(method);
}

// How far past its threshold a column's score is: above 1 means drift by the method's rule.
export function driftSeverity(column: DriftColumn): number {
  const { score, threshold, method } = column;
  if (score === null || threshold === null || threshold <= 0) return 0;
  if (isPValueMethod(method)) return score <= 0 ? Number.MAX_VALUE : threshold / score;
  return score / threshold;
}

// Drifted columns first, the worst on top; then the rest, closest to their threshold first.
export function sortDrift(columns: DriftColumn[]): DriftColumn[] {
  return [...columns].sort(
    (a, b) =>
      Number(b.drift_detected) - Number(a.drift_detected) ||
      driftSeverity(b) - driftSeverity(a) ||
      a.name.localeCompare(b.name),
  );
}

// Series on one time axis for a chart: hourly points on the regular grid from..to, null where a
// window holds no data (charts show gaps instead of lines across them); daily and weekly points
// start at local midnights, which are not a fixed step apart, so those keep the union of their
// own times.
export function alignAll(lists: Point[][], from: number, to: number, step: number): { t: number[]; v: (number | null)[][] } {
  const maps = lists.map((points) => new Map(points.map((point) => [Date.parse(point.t) / 1000, point.value])));
  let t: number[];
  if (step === 3600) {
    t = [];
    for (let time = Math.floor(from / step) * step; time < to; time += step) t.push(time);
  } else {
    t = [...new Set(maps.flatMap((map) => [...map.keys()]))].sort((a, b) => a - b);
  }
  return { t, v: maps.map((map) => t.map((time) => map.get(time) ?? null)) };
}

export function alignSeries(points: Point[], from: number, to: number, step: number): { t: number[]; v: (number | null)[] } {
  const { t, v } = alignAll([points], from, to, step);
  return { t, v: v[0] };
}

// The values with no value beside them: a line through gaps draws nothing for them, so a chart
// marks them (a model's first hour of data, a window alone between empty ones).
export function isolatedPoints(values: (number | null)[]): number[] {
  const present = (i: number) => i >= 0 && i < values.length && values[i] !== null;
  return values.flatMap((_, i) => (present(i) && !present(i - 1) && !present(i + 1) ? [i] : []));
}

// Each cell of a confusion matrix with its share of its row (the actual class's predictions).
export function confusionCells(matrix: number[][]): { count: number; share: number }[][] {
  return matrix.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => ({ count, share: total > 0 ? count / total : 0 }));
  });
}

export interface Bar {
  label: string;
  baseline: number;
  current: number;
}

// A distribution as bars on its shared bins: numeric bins labelled by their range, categories by
// name; the largest category shares first (the server orders them already, this keeps it stable).
export function distributionBars(distribution: Distribution): Bar[] {
  const { edges, labels, baseline_shares: baseline, current_shares: current } = distribution;
  const count = Math.max(baseline.length, current.length);
  const bars: Bar[] = [];
  for (let i = 0; i < count; i++) {
    let label = labels?.[i] ?? `bin ${i + 1}`;
    if (edges && edges.length > i + 1) label = `${shortNumber(edges[i])} – ${shortNumber(edges[i + 1])}`;
    bars.push({ label, baseline: baseline[i] ?? 0, current: current[i] ?? 0 });
  }
  return bars;
}

function shortNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || (magnitude > 0 && magnitude < 1e-3)) return value.toExponential(1);
  return Number(value.toPrecision(3)).toString();
}

export type Health = "ok" | "warning" | "critical" | "unknown";

// The badge of an area: critical when something fires, warning when something is pending or
// off by its own rule, ok when it was looked at and is fine, unknown without data.
export function healthOf(states: AlertState[], offCount: number | undefined): Health {
  if (states.includes("firing")) return "critical";
  if (states.includes("pending") || (offCount ?? 0) > 0) return "warning";
  return offCount === undefined ? "unknown" : "ok";
}

// Which areas a monitor type speaks for, for the health badges.
export function areaOfMonitor(type: string | undefined): "drift" | "integrity" | "performance" | "volume" {
  switch (type) {
    case "data_drift":
    case "prediction_drift":
      return "drift";
    case "performance_degradation":
      return "performance";
    case "model_activity":
    case "model_staleness":
      return "volume";
    default:
      return "integrity";
  }
}

// A backtest's points of one field as chart columns: value, band, and breached values alone.
export function backtestColumns(points: BacktestPoint[]) {
  const t: number[] = [];
  const value: (number | null)[] = [];
  const lower: (number | null)[] = [];
  const upper: (number | null)[] = [];
  const breached: (number | null)[] = [];
  for (const point of points) {
    t.push(Date.parse(point.t) / 1000);
    value.push(point.value);
    lower.push(point.lower ?? null);
    upper.push(point.upper ?? null);
    breached.push(point.breached ? point.value : null);
  }
  return { t, value, lower, upper, breached };
}

// Parses "30m", "2h", "1d" for silences: seconds, or undefined.
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/.exec(text);
  if (!match) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[match[2] as "s" | "m" | "h" | "d" | "w"];
  const seconds = Number(match[1]) * unit;
  return seconds > 0 ? seconds : undefined;
}

const taskMetrics: Record<string, string[]> = {
  binary_classification: ["accuracy", "f1", "precision", "recall", "roc_auc", "pr_auc", "log_loss", "brier"],
  multiclass_classification: ["accuracy", "macro_f1", "weighted_f1", "macro_precision", "macro_recall"],
  regression: ["mae", "rmse", "mape", "wape", "r2", "mean_error"],
  ranking: ["ndcg@10", "map@10", "mrr", "precision@10", "recall@10", "ndcg"],
};

// The metric the server estimates from a binary classifier's scores before labels come, if any.
const estimable = new Set(["accuracy", "precision", "recall", "f1", "specificity", "roc_auc"]);
export function estimatedMetricOf(task: string, metric: string | undefined): string | undefined {
  return task === "binary_classification" && metric && estimable.has(metric) ? `estimated_${metric}` : undefined;
}

// An estimated series on the chart's times: the estimate and its band's bounds.
export function estimateColumns(points: Point[], from: number, to: number, step: number) {
  const bound = (key: "lower" | "upper") => points.map((p) => ({ ...p, value: p[key] ?? null }));
  const { t, v } = alignAll([points, bound("lower"), bound("upper")], from, to, step);
  return { t, value: v[0], lower: v[1], upper: v[2] };
}

// The performance metrics offered for a version: its task's, and for a multiclass version that
// names its class probabilities, the log loss and each class's F1 and recall.
export function performanceMetricsFor(task: string, schema: Version["schema"]): string[] {
  const metrics = [...(taskMetrics[task] ?? [])];
  const classes = Object.keys(schema.class_probabilities ?? {});
  if (task === "multiclass_classification" && classes.length > 0) {
    metrics.push("log_loss", ...classes.flatMap((c) => [`f1:${c}`, `recall:${c}`]));
  }
  return metrics;
}
