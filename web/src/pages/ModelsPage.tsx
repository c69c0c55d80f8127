// Every model with health badges (drift, integrity, performance, open alerts) and its volume over
// the last seven days.
import { get, modelPath, versionPath, type Alert, type Drift, type Model, type Series, type Version } from "../api";
import { useLoad } from "../hooks";
import { linkTo, type Route } from "../route";
import { alignSeries, areaOfMonitor, healthOf, type Health } from "../transforms";
import { isoSeconds, resolveRange } from "../timerange";
import { Status } from "../components/Status";
import { Sparkline } from "../components/Sparkline";

export function ModelsPage({ route }: { route: Route }) {
  const models = useLoad(
    () => Promise.all([get<{ models: Model[] }>("/models"), get<{ alerts: Alert[] }>("/alerts")]),
    [],
  );
  return (
    <section>
      <h1>Models</h1>
      <Status of={models}>
        {([{ models: list }, { alerts }]) =>
          list.length === 0 ? (
            <p>No model yet. Run <code>telltale demo</code> for a populated example, or create one with the Python SDK.</p>
          ) : (
            <table class="models">
              <thead>
                <tr>
                  <th scope="col">model</th>
                  <th scope="col">drift</th>
                  <th scope="col">integrity</th>
                  <th scope="col">performance</th>
                  <th scope="col">open alerts</th>
                  <th scope="col">rows per hour, last 7 days</th>
                </tr>
              </thead>
              <tbody>
                {list.map((model) => (
                  <ModelRow route={route} model={model} alerts={alerts.filter((a) => a.model === model.name)} />
                ))}
              </tbody>
            </table>
          )
        }
      </Status>
    </section>
  );
}

function ModelRow({ route, model, alerts }: { route: Route; model: Model; alerts: Alert[] }) {
  const range = resolveRange({ range: "7d" }, Date.now() / 1000);
  const day = { from: isoSeconds(range.to - 86400), to: isoSeconds(range.to) };
  const loaded = useLoad(async () => {
    const { versions } = await get<{ versions: Version[] }>(`${modelPath(model.name)}/versions`);
    const latest = versions[versions.length - 1];
    if (!latest) return undefined;
    const path = versionPath(model.name, latest.version);
    const [drift, volume] = await Promise.all([
      get<Drift>(`${path}/drift`, day).catch(() => undefined),
      get<Series>(`${path}/metrics`, { metric: "count", from: isoSeconds(range.from), to: isoSeconds(range.to) }),
    ]);
    return { drift, volume };
  }, [model.name]);
  const statesOf = (area: string) =>
    alerts.filter((a) => areaOfMonitor(a.monitor?.type) === area).map((a) => a.state);
  const open = alerts.filter((a) => a.state === "firing" || a.state === "pending");
  const data = loaded.data;
  const drifted = data?.drift ? data.drift.columns.filter((c) => c.drift_detected).length : undefined;
  return (
    <tr>
      <th scope="row">
        <a href={linkTo(route, { page: "overview", model: model.name })}>{model.name}</a>
        <div class="muted small">{model.task.replace(/_/g, " ")} · {model.timezone}</div>
      </th>
      <td><HealthBadge health={healthOf(statesOf("drift"), drifted)} detail={drifted === undefined ? "no data" : `${drifted} drifted (24h)`} /></td>
      <td><HealthBadge health={healthOf(statesOf("integrity"), data ? 0 : undefined)} detail={`${statesOf("integrity").length} alerts`} /></td>
      <td><HealthBadge health={healthOf(statesOf("performance"), data ? 0 : undefined)} detail={`${statesOf("performance").length} alerts`} /></td>
      <td>
        <a href={linkTo(route, { page: "alerts", model: model.name })} class={open.length ? "alert-count" : "muted"}>
          {open.length} open
        </a>
      </td>
      <td>
        {data?.volume ? (
          <Sparkline label={`rows per hour of ${model.name}`} values={alignSeries(data.volume.points, range.from, range.to, 3600).v} width={180} />
        ) : loaded.error ? <span class="error">{loaded.error.message}</span> : <span class="muted">…</span>}
      </td>
    </tr>
  );
}

const healthText: Record<Health, string> = { ok: "ok", warning: "warning", critical: "alert", unknown: "no data" };

export function HealthBadge({ health, detail }: { health: Health; detail: string }) {
  return (
    <span class={`badge health-${health}`} title={detail}>
      {healthText[health]}
      <span class="small muted"> {detail}</span>
    </span>
  );
}
