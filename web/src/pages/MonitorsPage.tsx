// The model's monitors with their state, and a way to add one.
import { get, type Monitor } from "../api";
import type { ModelContext } from "../app";
import { useLoad } from "../hooks";
import { linkTo } from "../route";
import { formatTime } from "../format";
import { Status, StateBadge } from "../components/Status";

export function MonitorsPage({ context }: { context: ModelContext }) {
  const { model, route } = context;
  const loaded = useLoad(() => get<{ monitors: Monitor[] }>("/monitors"), [model.name]);
  return (
    <section class="panel">
      <h2>
        Monitors <a class="button" href={linkTo(route, { page: "monitor", model: model.name, monitor: "new" })}>New monitor</a>
      </h2>
      <Status of={loaded}>
        {({ monitors }) => {
          const mine = monitors.filter((m) => m.model === model.name);
          if (mine.length === 0) return <p class="muted">No monitor watches this model yet.</p>;
          return (
            <table>
              <thead>
                <tr><th scope="col">name</th><th scope="col">type</th><th scope="col">granularity</th><th scope="col">state</th><th scope="col">alerts</th><th scope="col">evaluated until</th></tr>
              </thead>
              <tbody>
                {mine.map((monitor) => (
                  <tr>
                    <th scope="row"><a href={linkTo(route, { page: "monitor", model: model.name, monitor: String(monitor.id) })}>{monitor.name}</a></th>
                    <td>{monitor.type}{monitor.metric ? ` (${monitor.metric})` : ""}</td>
                    <td>{monitor.granularity}</td>
                    <td><StateBadge state={monitor.enabled === false ? "disabled" : monitor.state} /></td>
                    <td>{monitor.alerts.filter((a) => a.state === "firing").length} firing, {monitor.alerts.filter((a) => a.state === "pending").length} pending</td>
                    <td>{monitor.evaluated_until ? formatTime(Date.parse(monitor.evaluated_until) / 1000, model.timezone) : "not yet"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Status>
    </section>
  );
}
