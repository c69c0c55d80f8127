// Create or edit a monitor. "Backtest" replays the definition over the time range and draws each
// field's value with the expected band and the windows that would have breached, so thresholds
// can be tuned before saving.
import { useState } from "preact/hooks";
import { ApiError, get, request, type Backtest, type Monitor, type MonitorDefinition } from "../api";
import type { ModelContext } from "../app";
import { go } from "../app";
import { useLoad } from "../hooks";
import { isoSeconds } from "../timerange";
import { backtestColumns, performanceMetricsFor } from "../transforms";
import { Status } from "../components/Status";
import { TimeChart } from "../components/TimeChart";

export const monitorTypes = [
  "model_activity", "missing_values", "type_errors", "values_range", "new_values", "data_drift",
  "prediction_drift", "metric_change", "performance_degradation", "model_staleness",
];
const fieldMetrics = ["mean", "std", "min", "max", "p50", "p99", "distinct_count", "count", "missing_ratio"];
const detectorKinds = ["default", "threshold", "change", "anomaly", "cusum"];

export function MonitorPage({ context }: { context: ModelContext }) {
  const id = context.route.monitor ?? "new";
  const loaded = useLoad(
    () => (id === "new" ? Promise.resolve(undefined) : get<Monitor>(`/monitors/${encodeURIComponent(id)}`)),
    [id],
  );
  return <Status of={{ ...loaded, data: loaded.loading ? undefined : { monitor: loaded.data } }}>{({ monitor }) => <MonitorForm context={context} monitor={monitor} />}</Status>;
}

// The form's state: the definition as text fields, turned into JSON on save or backtest.
interface Draft {
  name: string;
  type: string;
  fields: string;
  metric: string;
  granularity: string;
  detectorKind: string;
  above: string;
  below: string;
  maxPercent: string;
  sensitivity: string;
  direction: string;
  holdFor: string;
  severity: string;
  segment: string;
}

function draftOf(monitor: Monitor | undefined): Draft {
  const detector = (monitor?.detector ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));
  return {
    name: monitor?.name ?? "",
    type: monitor?.type ?? "data_drift",
    fields: Array.isArray(monitor?.fields) ? monitor.fields.join(", ") : text(monitor?.fields),
    metric: text(monitor?.metric),
    granularity: monitor?.granularity ?? "hour",
    detectorKind: monitor ? text(detector.kind) || "default" : "default",
    above: text(detector.above),
    below: text(detector.below),
    maxPercent: text(detector.max_percent),
    sensitivity: text(detector.sensitivity) || "medium",
    direction: text(detector.direction) || "both",
    holdFor: text(monitor?.hold_for),
    severity: monitor?.severity ?? "warning",
    segment: text(monitor?.segment),
  };
}

export function definitionOf(draft: Draft, model: string): MonitorDefinition {
  const definition: MonitorDefinition = { name: draft.name.trim(), model, type: draft.type, granularity: draft.granularity, severity: draft.severity };
  const fields = draft.fields.split(",").map((f) => f.trim()).filter(Boolean);
  if (fields.length === 1 && (fields[0] === "all_features" || fields[0] === "all_predictions")) definition.fields = fields[0];
  else if (fields.length) definition.fields = fields;
  if (draft.metric) definition.metric = draft.metric;
  if (draft.segment) definition.segment = draft.segment;
  if (draft.holdFor) definition.hold_for = draft.holdFor;
  if (draft.detectorKind !== "default") {
    const detector: Record<string, unknown> = { kind: draft.detectorKind };
    if (draft.detectorKind === "threshold") {
      if (draft.above !== "") detector.above = Number(draft.above);
      if (draft.below !== "") detector.below = Number(draft.below);
    } else if (draft.detectorKind === "change") {
      detector.baseline = "previous_windows";
      if (draft.maxPercent !== "") detector.max_percent = Number(draft.maxPercent);
      detector.direction = draft.direction;
    } else {
      detector.sensitivity = draft.sensitivity;
      detector.direction = draft.direction;
    }
    definition.detector = detector;
  }
  return definition;
}

function MonitorForm({ context, monitor }: { context: ModelContext; monitor?: Monitor }) {
  const { model, version, range } = context;
  const [draft, setDraft] = useState<Draft>(() => draftOf(monitor));
  const [backtest, setBacktest] = useState<Backtest | undefined>();
  const [message, setMessage] = useState<{ error: boolean; text: string } | undefined>();
  const set = (key: keyof Draft) => (event: Event) => setDraft({ ...draft, [key]: (event.currentTarget as HTMLInputElement).value });
  const fail = (failure: unknown) =>
    setMessage({ error: true, text: failure instanceof ApiError && failure.field ? `${failure.field}: ${failure.detail}` : (failure as Error).message });
  const runBacktest = async () => {
    setMessage(undefined);
    try {
      const result = await request<Backtest>("POST", "/monitors/backtest", { from: isoSeconds(range.from), to: isoSeconds(range.to) },
        definitionOf({ ...draft, name: draft.name || "draft" }, model.name));
      setBacktest(result);
      setMessage({ error: false, text: `Over the range it would have fired ${result.fired} time${result.fired === 1 ? "" : "s"}.` });
    } catch (failure) {
      fail(failure);
    }
  };
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      const definition = definitionOf(draft, model.name);
      const saved = monitor
        ? await request<Monitor>("PUT", `/monitors/${monitor.id}`, undefined, definition)
        : await request<Monitor>("POST", "/monitors", undefined, definition);
      go({ page: "monitor", model: model.name, monitor: String(saved.id), params: context.route.params });
      setMessage({ error: false, text: "Saved." });
    } catch (failure) {
      fail(failure);
    }
  };
  const remove = async () => {
    if (!monitor || !confirm(`Delete monitor ${monitor.name} and its alert history?`)) return;
    await request("DELETE", `/monitors/${monitor.id}`).catch(fail);
    go({ page: "monitors", model: model.name, params: context.route.params });
  };
  const allFields = [...Object.keys(version.schema.features ?? {}), ...Object.keys(version.schema.predictions ?? {})];
  const metricChoices = draft.type === "performance_degradation" ? performanceMetricsFor(model.task, version.schema) : fieldMetrics;
  return (
    <div class="monitor-editor">
      <form class="panel form" onSubmit={save}>
        <h2>{monitor ? `Monitor ${monitor.name}` : "New monitor"}</h2>
        <label>name <input required value={draft.name} onInput={set("name")} /></label>
        <label>type <select value={draft.type} onChange={set("type")}>{monitorTypes.map((t) => <option value={t}>{t}</option>)}</select></label>
        <label>
          fields <input value={draft.fields} onInput={set("fields")} placeholder="default of the type; or names, comma-separated" list="field-names" />
          <datalist id="field-names">{["all_features", "all_predictions", ...allFields].map((f) => <option value={f} />)}</datalist>
        </label>
        {(draft.type === "metric_change" || draft.type === "performance_degradation") && (
          <label>metric <select value={draft.metric} onChange={set("metric")}><option value="">choose</option>{metricChoices.map((m) => <option value={m}>{m}</option>)}</select></label>
        )}
        <label>granularity <select value={draft.granularity} onChange={set("granularity")}>{["hour", "day", "week"].map((g) => <option value={g}>{g}</option>)}</select></label>
        <label>segment <select value={draft.segment} onChange={set("segment")}><option value="">all rows</option>{version.segments.map((s) => <option value={s.name}>{s.name}</option>)}</select></label>
        <fieldset>
          <legend>detector</legend>
          <label>kind <select value={draft.detectorKind} onChange={set("detectorKind")}>{detectorKinds.map((k) => <option value={k}>{k === "default" ? "the type's default" : k}</option>)}</select></label>
          {draft.detectorKind === "threshold" && (
            <>
              <label>above <input type="number" step="any" value={draft.above} onInput={set("above")} /></label>
              <label>below <input type="number" step="any" value={draft.below} onInput={set("below")} /></label>
            </>
          )}
          {draft.detectorKind === "change" && <label>max change, % <input type="number" step="any" min="0" value={draft.maxPercent} onInput={set("maxPercent")} /></label>}
          {(draft.detectorKind === "anomaly" || draft.detectorKind === "cusum") && (
            <label>sensitivity <select value={draft.sensitivity} onChange={set("sensitivity")}>{["low", "medium", "high"].map((s) => <option value={s}>{s}</option>)}</select></label>
          )}
          {draft.detectorKind !== "default" && draft.detectorKind !== "threshold" && (
            <label>direction <select value={draft.direction} onChange={set("direction")}>{["both", "up", "down"].map((d) => <option value={d}>{d}</option>)}</select></label>
          )}
        </fieldset>
        <label>hold for <input value={draft.holdFor} onInput={set("holdFor")} placeholder="the type's default, e.g. 2h" /></label>
        <label>severity <select value={draft.severity} onChange={set("severity")}>{["info", "warning", "critical"].map((s) => <option value={s}>{s}</option>)}</select></label>
        <div class="actions">
          <button type="button" onClick={runBacktest}>Backtest over the range</button>
          <button type="submit" class="primary">{monitor ? "Save" : "Create"}</button>
          {monitor && <button type="button" class="danger" onClick={remove}>Delete</button>}
        </div>
        {message && <p class={message.error ? "error" : "ok"} role={message.error ? "alert" : "status"}>{message.text}</p>}
      </form>
      <section class="panel backtest">
        <h2>Backtest</h2>
        {!backtest && <p class="muted">Backtest the definition to see its value, the expected band and the windows that would have breached.</p>}
        {backtest?.series.map((series) => {
          const columns = backtestColumns(series.points);
          return (
            <div>
              <h3>{series.field ?? model.name}</h3>
              <TimeChart title={`backtest of ${series.field ?? "the model"}`} timeZone={model.timezone} times={columns.t}
                band={{ lower: columns.lower, upper: columns.upper, fill: "rgba(31,157,85,0.14)", label: "expected band" }}
                series={[
                  { label: "value", values: columns.value, color: "#3b6fd8" },
                  { label: "breached", values: columns.breached, color: "#d64545", points: true },
                ]} />
            </div>
          );
        })}
      </section>
    </div>
  );
}
