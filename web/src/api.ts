// The REST API (api/openapi.yaml), typed as far as the UI reads it. Every call carries the key
// the user signed in with; errors carry the server's problem details.

export interface Model {
  name: string;
  task: string;
  timezone: string;
  description: string;
}

export type FieldType = string | { type: string; dimension: number };

export interface Version {
  version: string;
  schema: Partial<Record<"features" | "predictions" | "actuals" | "raw", Record<string, FieldType>>> & {
    class_probabilities?: Record<string, string>;
  };
  segments: { name: string }[];
  created_at: string;
}

export interface Point {
  t: string;
  value: number | null;
  rows: number;
  labeled?: number;
  // An estimated metric's band and, once labels came, the realized value.
  lower?: number | null;
  upper?: number | null;
  realized?: number | null;
}

export interface Series {
  metric: string;
  granularity: string;
  timezone: string;
  points: Point[];
  reference?: { baseline: string; value: number | null } | null;
}

export interface ConfusionMatrix {
  labels: string[];
  matrix: number[][]; // matrix[actual][predicted]
  labeled: number;
}

export interface DriftColumn {
  name: string;
  type: string;
  role?: string;
  method: string | null;
  score: number | null;
  threshold: number | null;
  drift_detected: boolean;
}

export interface Drift {
  baseline: string;
  dataset_drift: boolean;
  number_of_columns?: number;
  number_of_drifted_columns?: number;
  columns: DriftColumn[];
}

export interface Distribution {
  field: string;
  type: string;
  baseline: string;
  edges?: number[];
  labels?: string[];
  baseline_shares: number[];
  current_shares: number[];
  baseline_rows?: number;
  current_rows?: number;
}

export interface Summary {
  rows: number;
  windows: number;
  first_event: string | null;
  last_event: string | null;
  integrity: {
    rejected_rows?: number;
    duplicate_ids?: number;
    missing_values?: Record<string, number>;
    type_errors?: Record<string, number>;
  };
  baselines: Record<string, { rows: number }>;
}

export type AlertState = "inactive" | "pending" | "firing" | "resolved";

export interface Alert {
  field: string | null;
  state: AlertState;
  since?: string | null;
  value: number | null;
  expected?: number | null;
  lower?: number | null;
  upper?: number | null;
  reason: string;
  evaluated_at?: string;
  monitor?: { id: number; name: string; type?: string };
  model?: string;
  severity?: string;
}

export interface AlertEvent {
  monitor_id?: number;
  field: string | null;
  from: AlertState;
  to: AlertState;
  at: string;
  value?: number | null;
  reason?: string;
}

export interface MonitorDefinition {
  name: string;
  model: string;
  type: string;
  version?: string;
  segment?: string | null;
  fields?: string[] | string;
  metric?: string;
  method?: string;
  granularity?: string;
  schedule?: string;
  detector?: Record<string, unknown>;
  hold_for?: string;
  keep_firing_for?: string;
  severity?: string;
  enabled?: boolean;
  description?: string;
}

export interface Monitor extends MonitorDefinition {
  id: number;
  state: AlertState;
  alerts: Alert[];
  evaluated_until?: string | null;
}

export interface BacktestPoint {
  t: string;
  value: number | null;
  expected?: number | null;
  lower?: number | null;
  upper?: number | null;
  breached: boolean;
  evaluated: boolean;
}

export interface Backtest {
  fired: number;
  transitions: AlertEvent[];
  series: { field: string | null; points: BacktestPoint[] }[];
}

export interface Silence {
  id: number;
  kind: string;
  model?: string | null;
  monitor_id?: number | null;
  field?: string | null;
  starts_at: string;
  ends_at: string;
  comment?: string;
  active: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly field?: string,
  ) {
    super(detail);
  }
}

const tokenKey = "telltale.token";

export function storedToken(): string | null {
  return sessionStorage.getItem(tokenKey);
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(tokenKey, token);
  else sessionStorage.removeItem(tokenKey);
}

export type Query = Record<string, string | number | undefined>;

export async function request<T>(method: string, path: string, query: Query = {}, body?: unknown): Promise<T> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const url = `/api/v1${path}${search.size ? `?${search}` : ""}`;
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = storedToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const problem = (parsed ?? {}) as { detail?: string; field?: string };
    throw new ApiError(response.status, problem.detail ?? `${method} ${path}: HTTP ${response.status}`, problem.field);
  }
  return parsed as T;
}

export const get = <T>(path: string, query: Query = {}) => request<T>("GET", path, query);

export const modelPath = (model: string) => `/models/${encodeURIComponent(model)}`;
export const versionPath = (model: string, version: string) =>
  `${modelPath(model)}/versions/${encodeURIComponent(version)}`;
