// Assertions for the end-to-end run: each step named, each failure saying what was expected.

export async function step(name, body) {
  const started = Date.now();
  try {
    await body();
  } catch (error) {
    error.message = `step "${name}": ${error.message}`;
    throw error;
  }
  console.log(`  ok  ${name} (${Date.now() - started} ms)`);
}

export function expect(actual, wanted, what) {
  if (actual !== wanted) throw new Error(`${what}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`);
}

// Every form control on the page has an accessible name (a label, aria-label or its text).
export async function checkLabels(page, where) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, button, textarea")]
      .filter((element) => {
        const labelled = element.labels?.length || element.getAttribute("aria-label") || element.getAttribute("aria-labelledby");
        const text = element.tagName === "BUTTON" && element.textContent?.trim();
        return !labelled && !text;
      })
      .map((element) => element.outerHTML.slice(0, 80)),
  );
  if (unlabelled.length) throw new Error(`${where}: controls without a label: ${unlabelled.join(", ")}`);
}
