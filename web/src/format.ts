// Numbers and times as people read them: about four significant digits, no e-notation for the
// sizes a dashboard shows, and every time in the model's time zone.

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e12)) return value.toExponential(2);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  if (magnitude >= 1000) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(4)).toString();
}

export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || Number.isNaN(share)) return "–";
  const percent = share * 100;
  return `${percent !== 0 && Math.abs(percent) < 0.1 ? percent.toPrecision(1) : percent.toFixed(1)}%`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "short",
      day: "2-digit",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : {}),
    });
    formatters.set(key, cached);
  }
  return cached;
}

// "01 Dec 2026, 14:00" in the zone; dates only for whole days.
export function formatTime(seconds: number, timeZone: string, withTime = true): string {
  return formatter(timeZone, withTime).format(new Date(seconds * 1000));
}

// "America/New_York (UTC−05:00)" at the given instant.
export function describeZone(timeZone: string, atSeconds: number): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(new Date(atSeconds * 1000));
  const offset = parts.find((part) => part.type === "timeZoneName")?.value ?? "";
  return `${timeZone} (${offset.replace("GMT", "UTC") || "UTC"})`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(seconds < 36000 ? 1 : 0)}h`;
  return `${(seconds / 86400).toFixed(seconds < 864000 ? 1 : 0)}d`;
}
