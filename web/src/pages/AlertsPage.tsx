// The model's alerts: firing and pending first, then resolved; silence one for a while; the
// history of transitions; the silences in force.
import { useState } from "preact/hooks";
import { get, request, type Alert, type AlertEvent, type Monitor, type Silence } from "../api";
import type { ModelContext } from "../app";
import { useLoad } from "../hooks";
import { linkTo } from "../route";
import { formatNumber, formatTime } from "../format";
import { Status, StateBadge } from "../components/Status";

const stateOrder: Record<string, number> = { firing: 0, pending: 1, resolved: 2, inactive: 3 };
export const silenceDurations = ["1h", "4h", "1d", "1w"];

export function AlertsPage({ context }: { context: ModelContext }) {
  const { model } = context;
  const [version, setVersion] = useState(0);
  const refresh = () => setVersion((v) => v + 1);
  const loaded = useLoad(
    () =>
      Promise.all([
        get<{ alerts: Alert[] }>("/alerts", { state: "firing,pending,resolved" }),
        get<{ monitors: Monitor[] }>("/monitors"),
        get<{ events: AlertEvent[] }>("/alerts/history", { limit: 200 }),
        get<{ silences: Silence[] }>("/silences"),
      ]),
    [model.name, version],
  );
  return (
    <Status of={loaded}>
      {([{ alerts }, { monitors }, { events }, { silences }]) => {
        const mine = new Map(monitors.filter((m) => m.model === model.name).map((m) => [m.id, m]));
        const wanted = context.route.params.monitor;
        const list = alerts
          .filter((a) => a.model === model.name && (!wanted || String(a.monitor?.id) === wanted))
          .sort((a, b) => stateOrder[a.state] - stateOrder[b.state]);
        return (
          <>
            <section class="panel">
              <h2>
                Alerts
                {wanted && (
                  <span class="small">
                    {" "}of monitor {mine.get(Number(wanted))?.name ?? wanted} ·{" "}
                    <a href={linkTo(context.route, { page: "alerts", model: model.name })}>all monitors</a>
                  </span>
                )}
              </h2>
              <AlertTable context={context} alerts={list} onSilenced={refresh} />
            </section>
            <section class="panel">
              <h2>Silences</h2>
              <SilenceList silences={silences.filter((s) => !s.model || s.model === model.name)} timeZone={model.timezone} onEnded={refresh} />
            </section>
            <section class="panel">
              <h2>History</h2>
              <table>
                <thead><tr><th scope="col">at</th><th scope="col">monitor</th><th scope="col">field</th><th scope="col">change</th><th scope="col" class="num">value</th><th scope="col">reason</th></tr></thead>
                <tbody>
                  {events.filter((e) => e.monitor_id !== undefined && mine.has(e.monitor_id)).map((event) => (
                    <tr>
                      <td>{formatTime(Date.parse(event.at) / 1000, model.timezone)}</td>
                      <td>{mine.get(event.monitor_id as number)?.name}</td>
                      <td>{event.field ?? "–"}</td>
                      <td><StateBadge state={event.from} /> → <StateBadge state={event.to} /></td>
                      <td class="num">{formatNumber(event.value)}</td>
                      <td class="small">{event.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </>
        );
      }}
    </Status>
  );
}

export function AlertTable({ context, alerts, onSilenced }: { context: ModelContext; alerts: Alert[]; onSilenced?: () => void }) {
  const { model, route } = context;
  if (alerts.length === 0) return <p class="muted">No alerts.</p>;
  return (
    <table class="alerts">
      <thead>
        <tr>
          <th scope="col">state</th><th scope="col">monitor</th><th scope="col">field</th><th scope="col">since</th>
          <th scope="col" class="num">value</th><th scope="col" class="num">expected</th><th scope="col">reason</th>
          {onSilenced && <th scope="col">silence</th>}
        </tr>
      </thead>
      <tbody>
        {alerts.map((alert) => (
          <tr class={`alert-${alert.state}`}>
            <td><StateBadge state={alert.state} /> {alert.severity && <span class="small muted">{alert.severity}</span>}</td>
            <td>
              <a href={linkTo(route, { page: "alerts", model: model.name }, { monitor: String(alert.monitor?.id) })}>{alert.monitor?.name}</a>
            </td>
            <td>
              {alert.field ? <a href={linkTo(route, { page: "field", model: model.name, field: alert.field })}>{alert.field}</a> : "–"}
            </td>
            <td>{alert.since ? formatTime(Date.parse(alert.since) / 1000, model.timezone) : "–"}</td>
            <td class="num">{formatNumber(alert.value)}</td>
            <td class="num">{formatNumber(alert.expected)}</td>
            <td class="small">{alert.reason}</td>
            {onSilenced && <td><SilenceButton alert={alert} model={model.name} onSilenced={onSilenced} /></td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SilenceButton({ alert, model, onSilenced }: { alert: Alert; model: string; onSilenced: () => void }) {
  const [duration, setDuration] = useState(silenceDurations[0]);
  const [error, setError] = useState("");
  const subject = `${alert.monitor?.name ?? "alert"}${alert.field ? ` on ${alert.field}` : ""}`;
  const silence = async () => {
    try {
      await request("POST", "/silences", undefined, {
        model,
        monitor_id: alert.monitor?.id,
        ...(alert.field ? { field: alert.field } : {}),
        duration,
        comment: `silenced from the UI: ${subject}`,
      });
      onSilenced();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <span class="silence">
      <select aria-label={`silence duration for ${subject}`} value={duration} onChange={(e) => setDuration(e.currentTarget.value)}>
        {silenceDurations.map((d) => <option value={d}>{d}</option>)}
      </select>
      <button type="button" onClick={silence} aria-label={`Silence ${subject} for ${duration}`}>Silence</button>
      {error && <span class="error" role="alert">{error}</span>}
    </span>
  );
}

function SilenceList({ silences, timeZone, onEnded }: { silences: Silence[]; timeZone: string; onEnded: () => void }) {
  if (silences.length === 0) return <p class="muted">No silence in force.</p>;
  return (
    <table class="silences">
      <thead><tr><th scope="col">matches</th><th scope="col">from</th><th scope="col">until</th><th scope="col">comment</th><th scope="col"></th></tr></thead>
      <tbody>
        {silences.map((silence) => (
          <tr>
            <td>{[silence.kind === "maintenance" ? "maintenance" : "", silence.monitor_id ? `monitor ${silence.monitor_id}` : "", silence.field ? `field ${silence.field}` : ""].filter(Boolean).join(", ") || "the model"}</td>
            <td>{formatTime(Date.parse(silence.starts_at) / 1000, timeZone)}</td>
            <td>{formatTime(Date.parse(silence.ends_at) / 1000, timeZone)}</td>
            <td class="small">{silence.comment}</td>
            <td>
              <button type="button" onClick={async () => { await request("DELETE", `/silences/${silence.id}`); onEnded(); }}>End now</button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
