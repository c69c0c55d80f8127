import { describe, expect, it } from "vitest";
import { formatRoute, linkTo, parseRoute, withParams } from "../src/route";

describe("routes", () => {
  it("reads the alert link the server puts in notifications", () => {
    const route = parseRoute("#/models/churn/alerts?monitor=3");
    expect(route).toEqual({ page: "alerts", model: "churn", params: { monitor: "3" } });
  });

  it("round-trips every page, names with slashes and spaces escaped", () => {
    const routes = [
      "#/",
      "#/models/churn",
      "#/models/churn/drift?range=30d&segment=US",
      "#/models/a%2Fb%20c/fields/monthly%20charges?baseline=validation",
      "#/models/churn/monitors/new",
      "#/models/churn/monitors/7?from=2026-11-01T00%3A00%3A00Z&to=2026-11-02T00%3A00%3A00Z",
      "#/models/churn/segments?metric=accuracy",
    ];
    for (const hash of routes) expect(formatRoute(parseRoute(hash))).toBe(hash);
    expect(parseRoute("#/models/a%2Fb%20c/fields/monthly%20charges").field).toBe("monthly charges");
  });

  it("falls back to the models list or the overview for unknown paths", () => {
    expect(parseRoute("").page).toBe("models");
    expect(parseRoute("#/nothing/here").page).toBe("models");
    expect(parseRoute("#/models/churn/unknown").page).toBe("overview");
  });

  it("keeps the time range, version and segment across pages, and drops the rest", () => {
    const from = parseRoute("#/models/churn/drift?range=30d&segment=US&baseline=validation&version=v2");
    expect(linkTo(from, { page: "alerts", model: "churn" })).toBe("#/models/churn/alerts?range=30d&version=v2&segment=US");
    expect(formatRoute(withParams(from, { segment: "", range: "1h" }))).toBe(
      "#/models/churn/drift?range=1h&baseline=validation&version=v2",
    );
  });
});
