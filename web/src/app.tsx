// The shell: sign-in, the header with the model's pages, the time range, and the page itself.
import { useState } from "preact/hooks";
import { get, modelPath, storeToken, storedToken, type Model, type Version } from "./api";
import { useLoad, useRoute } from "./hooks";
import { formatRoute, linkTo, withParams, type Page, type Route } from "./route";
import { granularityFor, resolveRange, type Granularity, type TimeRange } from "./timerange";
import { describeZone } from "./format";
import { TimeRangePicker } from "./components/TimeRangePicker";
import { Status } from "./components/Status";
import { SignIn } from "./pages/SignIn";
import { ModelsPage } from "./pages/ModelsPage";
import { OverviewPage } from "./pages/OverviewPage";
import { DriftPage } from "./pages/DriftPage";
import { FieldPage } from "./pages/FieldPage";
import { SegmentsPage } from "./pages/SegmentsPage";
import { AlertsPage } from "./pages/AlertsPage";
import { MonitorsPage } from "./pages/MonitorsPage";
import { MonitorPage } from "./pages/MonitorPage";

// What every page of one model gets.
export interface ModelContext {
  route: Route;
  model: Model;
  version: Version;
  versions: Version[];
  range: TimeRange;
  granularity: Granularity;
  segment?: string;
  navigate: (changes: Record<string, string | undefined>) => void;
}

export function go(route: Route) {
  location.hash = formatRoute(route);
}

const tabs: { page: Page; label: string }[] = [
  { page: "overview", label: "Overview" },
  { page: "drift", label: "Drift" },
  { page: "segments", label: "Segments" },
  { page: "alerts", label: "Alerts" },
  { page: "monitors", label: "Monitors" },
];

export function App() {
  const [signedIn, setSignedIn] = useState(Boolean(storedToken()));
  const route = useRoute();
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const signOut = () => {
    storeToken(null);
    setSignedIn(false);
  };
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">telltale</a>
        <nav aria-label="Models">
          <a href={linkTo(route, { page: "models" })}>Models</a>
        </nav>
        <button type="button" class="link" onClick={signOut}>Sign out</button>
      </header>
      <main>{route.page === "models" ? <ModelsPage route={route} /> : <ModelShell route={route} />}</main>
    </>
  );
}

function ModelShell({ route }: { route: Route }) {
  const name = route.model as string;
  const loaded = useLoad(
    () =>
      Promise.all([
        get<Model>(modelPath(name)),
        get<{ versions: Version[] }>(`${modelPath(name)}/versions`),
      ]),
    [name],
  );
  return (
    <Status of={loaded}>
      {([model, { versions }]) => {
        if (versions.length === 0) {
          return <p>Model {model.name} has no version yet: create one and log predictions (python/README.md).</p>;
        }
        const version = versions.find((v) => v.version === route.params.version) ?? versions[versions.length - 1];
        const range = resolveRange(route.params, Date.now() / 1000);
        const segment = route.params.segment || undefined;
        const context: ModelContext = {
          route,
          model,
          version,
          versions,
          range,
          granularity: granularityFor(range),
          segment,
          navigate: (changes) => go(withParams(route, changes)),
        };
        return (
          <>
            <section class="model-header">
              <h1>
                {model.name} <span class="muted task">{model.task.replace(/_/g, " ")}</span>
              </h1>
              <nav class="tabs" aria-label="Model pages">
                {tabs.map((tab) => (
                  <a
                    href={linkTo(route, { page: tab.page, model: name })}
                    aria-current={route.page === tab.page || (tab.page === "monitors" && route.page === "monitor") ? "page" : undefined}
                  >
                    {tab.label}
                  </a>
                ))}
              </nav>
              <div class="controls">
                <label>
                  version{" "}
                  <select value={version.version} onChange={(e) => context.navigate({ version: e.currentTarget.value })}>
                    {versions.map((v) => <option value={v.version}>{v.version}</option>)}
                  </select>
                </label>
                <label>
                  segment{" "}
                  <select value={segment ?? ""} onChange={(e) => context.navigate({ segment: e.currentTarget.value })}>
                    <option value="">all rows</option>
                    {version.segments.map((s) => <option value={s.name}>{s.name}</option>)}
                  </select>
                </label>
                <TimeRangePicker params={route.params} range={range} onChange={context.navigate} />
                <span class="zone" title="Every time on this page is in the model's time zone">
                  {describeZone(model.timezone, range.to)}
                </span>
              </div>
            </section>
            <ModelPage context={context} />
          </>
        );
      }}
    </Status>
  );
}

function ModelPage({ context }: { context: ModelContext }) {
  switch (context.route.page) {
    case "drift":
      return <DriftPage context={context} />;
    case "field":
      return <FieldPage context={context} />;
    case "segments":
      return <SegmentsPage context={context} />;
    case "alerts":
      return <AlertsPage context={context} />;
    case "monitors":
      return <MonitorsPage context={context} />;
    case "monitor":
      return <MonitorPage context={context} />;
    default:
      return <OverviewPage context={context} />;
  }
}
