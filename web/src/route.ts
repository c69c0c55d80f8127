// The view's state lives in the URL hash (#/models/churn/drift?range=7d&segment=US), so a link in
// a Slack alert opens the exact view and the browser's back button walks the views.

export type Page =
  | "models"
  | "overview"
  | "drift"
  | "field"
  | "segments"
  | "alerts"
  | "monitors"
  | "monitor";

export interface Route {
  page: Page;
  model?: string;
  field?: string;
  monitor?: string; // a monitor id, or "new"
  params: Record<string, string>;
}

const modelPages: Record<string, Page> = {
  drift: "drift",
  segments: "segments",
  alerts: "alerts",
  monitors: "monitors",
};

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, "");
  const question = text.indexOf("?");
  const path = question < 0 ? text : text.slice(0, question);
  const params: Record<string, string> = {};
  if (question >= 0) {
    for (const [key, value] of new URLSearchParams(text.slice(question + 1))) params[key] = value;
  }
  const parts = path.split("/").filter((part) => part !== "").map(decodeURIComponent);
  if (parts[0] !== "models" || parts.length < 2) return { page: "models", params };
  const model = parts[1];
  if (parts.length === 2) return { page: "overview", model, params };
  if (parts[2] === "fields" && parts.length >= 4) {
    return { page: "field", model, field: parts[3], params };
  }
  if (parts[2] === "monitors" && parts.length >= 4) {
    return { page: "monitor", model, monitor: parts[3], params };
  }
  const page = modelPages[parts[2]];
  return page ? { page, model, params } : { page: "overview", model, params };
}

export function formatRoute(route: Route): string {
  const parts = ["models"];
  if (route.model !== undefined && route.page !== "models") {
    parts.push(route.model);
    if (route.page === "field") parts.push("fields", route.field ?? "");
    else if (route.page === "monitor") parts.push("monitors", route.monitor ?? "new");
    else if (route.page !== "overview") parts.push(route.page);
  }
  const path = route.page === "models" ? "#/" : "#/" + parts.map(encodeURIComponent).join("/");
  const query = new URLSearchParams(
    Object.entries(route.params).filter(([, value]) => value !== undefined && value !== ""),
  ).toString();
  return query ? `${path}?${query}` : path;
}

// The same route with some parameters changed (an empty value removes one).
export function withParams(route: Route, changes: Record<string, string | undefined>): Route {
  const params = { ...route.params };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === "") delete params[key];
    else params[key] = value;
  }
  return { ...route, params };
}

// Another page of the same model, keeping the time range, version and segment.
export function linkTo(from: Route, to: Omit<Route, "params">, extra: Record<string, string> = {}) {
  const kept: Record<string, string> = {};
  for (const key of ["range", "from", "to", "version", "segment"]) {
    if (from.params[key] !== undefined) kept[key] = from.params[key];
  }
  return formatRoute({ ...to, params: { ...kept, ...extra } });
}
