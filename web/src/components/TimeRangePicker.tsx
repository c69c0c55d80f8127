// Relative ranges (1h … 90d) as buttons, an absolute range as two datetime inputs (UTC).
import { useState } from "preact/hooks";
import { relativeRanges, defaultRange, isoSeconds, type TimeRange } from "../timerange";

interface Props {
  params: Record<string, string>;
  range: TimeRange;
  onChange: (changes: Record<string, string | undefined>) => void;
}

const toInput = (seconds: number) => isoSeconds(seconds).slice(0, 16);

export function TimeRangePicker({ params, range, onChange }: Props) {
  const absolute = Boolean(params.from && params.to);
  const active = absolute ? "" : params.range ?? defaultRange;
  const [from, setFrom] = useState(toInput(range.from));
  const [to, setTo] = useState(toInput(range.to));
  return (
    <div class="range-picker" role="group" aria-label="Time range">
      {relativeRanges.map((value) => (
        <button
          type="button"
          aria-pressed={value === active}
          class={value === active ? "active" : ""}
          onClick={() => onChange({ range: value, from: undefined, to: undefined })}
        >
          {value}
        </button>
      ))}
      <form
        class="absolute"
        onSubmit={(event) => {
          event.preventDefault();
          onChange({ range: undefined, from: `${from}:00Z`, to: `${to}:00Z` });
        }}
      >
        <label>
          from (UTC) <input type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          to <input type="datetime-local" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit">Apply</button>
      </form>
    </div>
  );
}
