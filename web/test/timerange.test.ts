import { describe, expect, it } from "vitest";
import { granularityFor, isoSeconds, relativeSeconds, resolveRange } from "../src/timerange";

const now = Date.parse("2026-12-02T10:17:00Z") / 1000;

describe("time ranges", () => {
  it("ends relative ranges at the end of the current hour", () => {
    const range = resolveRange({ range: "24h" }, now);
    expect(isoSeconds(range.to)).toBe("2026-12-02T11:00:00Z");
    expect(isoSeconds(range.from)).toBe("2026-12-01T11:00:00Z");
  });

  it("uses an absolute range when both ends parse and are ordered", () => {
    const range = resolveRange({ from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z", range: "1h" }, now);
    expect(range.to - range.from).toBe(2 * 86400);
    const backwards = resolveRange({ from: "2026-11-03T00:00:00Z", to: "2026-11-01T00:00:00Z" }, now);
    expect(backwards.to - backwards.from).toBe(7 * 86400);
  });

  it("refuses what is not a range and falls back to seven days", () => {
    expect(relativeSeconds("90d")).toBe(90 * 86400);
    expect(relativeSeconds("0h")).toBeUndefined();
    expect(relativeSeconds("7 days")).toBeUndefined();
    const range = resolveRange({ range: "bogus" }, now);
    expect(range.to - range.from).toBe(7 * 86400);
  });

  it("draws two weeks by the hour and longer ranges by the day", () => {
    expect(granularityFor(resolveRange({ range: "7d" }, now))).toBe("hour");
    expect(granularityFor(resolveRange({ range: "30d" }, now))).toBe("day");
  });
});
