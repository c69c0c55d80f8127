// Time ranges: relative ("7d": the last seven days up to now) or absolute (from/to, RFC 3339), and
// the granularity a range is drawn at.

export const relativeRanges = ["1h", "6h", "24h", "7d", "30d", "90d"] as const;
export const defaultRange = "7d";

export type Granularity = "hour" | "day" | "week";

export interface TimeRange {
  from: number; // Unix seconds, inclusive
  to: number; // Unix seconds, exclusive
  label: string;
}

const unitSeconds: Record<string, number> = { m: 60, h: 3600, d: 86400, w: 7 * 86400 };

// Seconds of a relative range such as "6h" or "30d"; undefined when it is not one.
export function relativeSeconds(text: string): number | undefined {
  const match = /^(\d+)([mhdw])$/.exec(text);
  if (!match) return undefined;
  const seconds = Number(match[1]) * unitSeconds[match[2]];
  return seconds > 0 ? seconds : undefined;
}

function parseInstant(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const millis = Date.parse(text);
  return Number.isNaN(millis) ? undefined : Math.floor(millis / 1000);
}

// The range the URL parameters describe: from/to when both parse and are ordered, else the
// relative `range`, else the default. Relative ranges end at the next whole hour after now, so the
// current hour's window is in.
export function resolveRange(params: Record<string, string>, nowSeconds: number): TimeRange {
  const from = parseInstant(params.from);
  const to = parseInstant(params.to);
  if (from !== undefined && to !== undefined && from < to) {
    return { from, to, label: `${params.from} – ${params.to}` };
  }
  const range = params.range && relativeSeconds(params.range) ? params.range : defaultRange;
  const end = Math.floor(nowSeconds / 3600) * 3600 + 3600;
  return { from: end - (relativeSeconds(range) as number), to: end, label: `last ${range}` };
}

// Hourly points up to two weeks (336 points), daily beyond.
export function granularityFor(range: TimeRange): Granularity {
  return range.to - range.from <= 14 * 86400 ? "hour" : "day";
}

export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}
