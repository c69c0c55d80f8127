// Every field's drift against the baseline: method, score, threshold, verdict and the score over
// the range, drifted fields first.
import { useEffect, useState } from "preact/hooks";
import { get, versionPath, type Drift, type Series } from "../api";
import type { ModelContext } from "../app";
import { useLoad } from "../hooks";
import { linkTo } from "../route";
import { isoSeconds } from "../timerange";
import { alignSeries, sortDrift } from "../transforms";
import { formatNumber } from "../format";
import { Status } from "../components/Status";
import { Sparkline } from "../components/Sparkline";
import { seriesQuery, stepOf } from "./OverviewPage";

const baselines = ["training", "validation"];

export function DriftPage({ context }: { context: ModelContext }) {
  const { model, version, range, route } = context;
  const path = versionPath(model.name, version.version);
  const baseline = baselines.includes(route.params.baseline) ? route.params.baseline : "training";
  const drift = useLoad(
    () => get<Drift>(`${path}/drift`, { from: isoSeconds(range.from), to: isoSeconds(range.to), segment: context.segment, baseline }),
    [path, range.from, range.to, context.segment, baseline],
  );
  return (
    <section class="panel">
      <h2>
        Drift against{" "}
        <select aria-label="baseline" value={baseline} onChange={(e) => context.navigate({ baseline: e.currentTarget.value })}>
          {baselines.map((b) => <option value={b}>{b}</option>)}
        </select>
      </h2>
      <Status of={drift}>
        {(table) => {
          const columns = sortDrift(table.columns);
          const drifted = columns.filter((c) => c.drift_detected).length;
          return (
            <>
              <p class={drifted ? "verdict drifted" : "verdict"}>
                {drifted} of {columns.length} fields drifted{table.dataset_drift ? " — dataset drift" : ""}
              </p>
              <table class="drift">
                <thead>
                  <tr>
                    <th scope="col">field</th>
                    <th scope="col">role</th>
                    <th scope="col">type</th>
                    <th scope="col">method</th>
                    <th scope="col" class="num">score</th>
                    <th scope="col" class="num">threshold</th>
                    <th scope="col">verdict</th>
                    <th scope="col">score over the range</th>
                  </tr>
                </thead>
                <tbody>
                  {columns.map((column) => (
                    <tr class={column.drift_detected ? "drifted" : ""}>
                      <th scope="row">
                        <a href={linkTo(route, { page: "field", model: model.name, field: column.name }, { baseline })}>{column.name}</a>
                      </th>
                      <td>{column.role ?? ""}</td>
                      <td>{column.type}</td>
                      <td>{column.method ?? "–"}</td>
                      <td class="num">{formatNumber(column.score)}</td>
                      <td class="num">{formatNumber(column.threshold)}</td>
                      <td>
                        <span class={`badge ${column.drift_detected ? "health-critical" : "health-ok"}`}>
                          {column.drift_detected ? "drifted" : "stable"}
                        </span>
                      </td>
                      <td><ScoreSparkline context={context} field={column.name} threshold={column.threshold} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </Status>
    </section>
  );
}

// Sparklines load a few at a time after the table is drawn, so the table comes first.
const queue: (() => Promise<void>)[] = [];
let running = 0;
function enqueue(task: () => Promise<void>) {
  queue.push(task);
  const next = () => {
    while (running < 4 && queue.length) {
      const job = queue.shift() as () => Promise<void>;
      running++;
      job().finally(() => {
        running--;
        next();
      });
    }
  };
  next();
}

function ScoreSparkline({ context, field, threshold }: { context: ModelContext; field: string; threshold: number | null }) {
  const { model, version, range } = context;
  const [values, setValues] = useState<(number | null)[] | undefined>();
  const granularity = range.to - range.from > 2 * 86400 ? "day" : "hour";
  useEffect(() => {
    let current = true;
    enqueue(async () => {
      if (!current) return;
      const series = await get<Series>(
        `${versionPath(model.name, version.version)}/metrics`,
        seriesQuery(context, { metric: "drift_score", field, granularity }),
      ).catch(() => undefined);
      if (current && series) setValues(alignSeries(series.points, range.from, range.to, stepOf(granularity)).v);
    });
    return () => {
      current = false;
    };
  }, [field, range.from, range.to, context.segment, version.version]);
  return values ? <Sparkline values={values} label={`drift score of ${field} per ${granularity}`} threshold={threshold} /> : <span class="muted">…</span>;
}
