import { describe, expect, it } from "vitest";
import type { DriftColumn, Point } from "../src/api";
import { alignAll, alignSeries, backtestColumns, confusionCells, distributionBars, driftSeverity, estimateColumns, estimatedMetricOf, healthOf, isolatedPoints, parseDuration, performanceMetricsFor, sortDrift } from "../src/transforms";
import { describeZone, formatNumber, formatPercent, formatTime } from "../src/format";

const column = (name: string, method: string, score: number, threshold: number, drifted: boolean): DriftColumn => ({
  name, type: "num", method, score, threshold, drift_detected: drifted,
});

describe("drift table order", () => {
  it("puts drifted fields first, the furthest past the threshold on top, p-values read inversely", () => {
    const columns = [
      column("calm", "wasserstein", 0.02, 0.1, false),
      column("close", "wasserstein", 0.09, 0.1, false),
      column("tiny_p", "ks", 1e-12, 0.05, true),
      column("big_distance", "wasserstein", 3.3, 0.1, true),
      column("p_near", "ks", 0.04, 0.05, true),
    ];
    expect(sortDrift(columns).map((c) => c.name)).toEqual(["tiny_p", "big_distance", "p_near", "close", "calm"]);
    expect(driftSeverity(column("zero_p", "chisquare", 0, 0.05, true))).toBe(Number.MAX_VALUE);
    expect(driftSeverity({ ...column("none", "psi", 0, 0.1, false), score: null })).toBe(0);
  });
});

describe("series alignment", () => {
  const points: Point[] = [
    { t: "2026-12-01T00:00:00Z", value: 1, rows: 5 },
    { t: "2026-12-01T02:00:00Z", value: 3, rows: 5 },
  ];
  const from = Date.parse("2026-12-01T00:00:00Z") / 1000;

  it("puts hourly points on the grid with gaps as null", () => {
    const { t, v } = alignSeries(points, from, from + 4 * 3600, 3600);
    expect(t).toEqual([from, from + 3600, from + 7200, from + 10800]);
    expect(v).toEqual([1, null, 3, null]);
  });

  it("keeps daily points at their own local midnights, on the union of the series' times", () => {
    const newYork = [{ t: "2026-11-01T04:00:00Z", value: 1, rows: 1 }, { t: "2026-11-02T05:00:00Z", value: 2, rows: 1 }];
    const other = [{ t: "2026-11-02T05:00:00Z", value: 7, rows: 1 }];
    const { t, v } = alignAll([newYork, other], 0, 0, 86400);
    expect(t.length).toBe(2);
    expect(t[1] - t[0]).toBe(25 * 3600); // the day daylight saving ended
    expect(v).toEqual([[1, 2], [null, 7]]);
  });
});

describe("distributions and backtests", () => {
  it("labels numeric bins by their edges and categories by name", () => {
    const bars = distributionBars({ field: "x", type: "numeric", baseline: "training", edges: [0, 0.5, 1], baseline_shares: [0.25, 0.75], current_shares: [0.5, 0.5] });
    expect(bars).toEqual([{ label: "0 – 0.5", baseline: 0.25, current: 0.5 }, { label: "0.5 – 1", baseline: 0.75, current: 0.5 }]);
    const categories = distributionBars({ field: "c", type: "categorical", baseline: "training", labels: ["US", "DE"], baseline_shares: [0.6, 0.4], current_shares: [0.5] });
    expect(categories[1]).toEqual({ label: "DE", baseline: 0.4, current: 0 });
  });

  it("marks only breached windows as points", () => {
    const columns = backtestColumns([
      { t: "2026-12-01T00:00:00Z", value: 1, lower: 0, upper: 2, breached: false, evaluated: true },
      { t: "2026-12-01T01:00:00Z", value: 5, lower: 0, upper: 2, breached: true, evaluated: true },
    ]);
    expect(columns.breached).toEqual([null, 5]);
    expect(columns.upper).toEqual([2, 2]);
  });
});

describe("health and input", () => {
  it("is critical when firing, warning when pending or off, unknown without data", () => {
    expect(healthOf(["pending", "firing"], 0)).toBe("critical");
    expect(healthOf(["pending"], 0)).toBe("warning");
    expect(healthOf([], 2)).toBe("warning");
    expect(healthOf([], 0)).toBe("ok");
    expect(healthOf([], undefined)).toBe("unknown");
  });

  it("reads silence durations", () => {
    expect(parseDuration("4h")).toBe(14400);
    expect(parseDuration(" 1.5d ")).toBe(129600);
    expect(parseDuration("0h")).toBeUndefined();
    expect(parseDuration("soon")).toBeUndefined();
  });
});

describe("formatting", () => {
  it("shows about four significant digits and no e-notation at dashboard sizes", () => {
    expect(formatNumber(333.39558)).toBe("333.4");
    expect(formatNumber(0.0123456)).toBe("0.01235");
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatNumber(12345.6)).toBe("12,346");
    expect(formatNumber(1e-7)).toBe("1.00e-7");
    expect(formatNumber(null)).toBe("–");
    expect(formatPercent(0.4545)).toBe("45.5%");
  });

  it("writes times in the model's zone", () => {
    const t = Date.parse("2026-12-01T05:00:00Z") / 1000;
    expect(formatTime(t, "America/New_York")).toBe("01 Dec 2026, 00:00");
    expect(formatTime(t, "Asia/Kolkata")).toBe("01 Dec 2026, 10:30");
    expect(describeZone("America/New_York", t)).toBe("America/New_York (UTC-05:00)");
  });
});

describe("performance metrics offered", () => {
  it("follow the task, and a multiclass version's class probabilities add the log loss and each class", () => {
    expect(performanceMetricsFor("regression", {})).toContain("mae");
    expect(performanceMetricsFor("multiclass_classification", {})).not.toContain("log_loss");
    const named = performanceMetricsFor("multiclass_classification", { class_probabilities: { barolo: "p_barolo", barbera: "p_barbera" } });
    expect(named).toContain("log_loss");
    expect(named).toContain("f1:barolo");
    expect(named).toContain("recall:barbera");
    expect(performanceMetricsFor("binary_classification", { class_probabilities: { a: "p" } })).not.toContain("f1:a");
  });
});

describe("isolatedPoints", () => {
  it("finds the values with no value beside them", () => {
    expect(isolatedPoints([null, 3, null, 1, 2, null, 0])).toEqual([1, 6]);
    expect(isolatedPoints([5])).toEqual([0]);
    expect(isolatedPoints([1, 2, 3])).toEqual([]);
    expect(isolatedPoints([null, null])).toEqual([]);
  });
});

describe("estimates", () => {
  it("are offered for a binary classifier's confusion-matrix metrics and ROC AUC", () => {
    expect(estimatedMetricOf("binary_classification", "f1")).toBe("estimated_f1");
    expect(estimatedMetricOf("binary_classification", "roc_auc")).toBe("estimated_roc_auc");
    expect(estimatedMetricOf("binary_classification", "log_loss")).toBeUndefined();
    expect(estimatedMetricOf("multiclass_classification", "accuracy")).toBeUndefined();
    expect(estimatedMetricOf("regression", undefined)).toBeUndefined();
  });

  it("align the estimate and its band on the chart's times", () => {
    const from = Date.UTC(2026, 0, 1) / 1000;
    const points: Point[] = [
      { t: "2026-01-01T01:00:00Z", value: 0.8, rows: 10, lower: 0.7, upper: 0.9, realized: null },
      { t: "2026-01-01T03:00:00Z", value: 0.6, rows: 10, lower: null, upper: 0.65 },
    ];
    const columns = estimateColumns(points, from, from + 4 * 3600, 3600);
    expect(columns.t).toEqual([0, 1, 2, 3].map((i) => from + i * 3600));
    expect(columns.value).toEqual([null, 0.8, null, 0.6]);
    expect(columns.lower).toEqual([null, 0.7, null, null]);
    expect(columns.upper).toEqual([null, 0.9, null, 0.65]);
  });
});

describe("confusionCells", () => {
  it("gives each count its share of the actual class's row", () => {
    expect(confusionCells([[3, 1], [0, 0]])).toEqual([
      [{ count: 3, share: 0.75 }, { count: 1, share: 0.25 }],
      [{ count: 0, share: 0 }, { count: 0, share: 0 }],
    ]);
  });
});
