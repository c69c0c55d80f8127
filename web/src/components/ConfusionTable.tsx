// A confusion matrix as a table: actual classes down, predicted across, each cell shaded by its
// share of the actual class (green on the diagonal, red off it).
import type { ConfusionMatrix } from "../api";
import { formatPercent } from "../format";
import { confusionCells } from "../transforms";

export function ConfusionTable({ matrix }: { matrix: ConfusionMatrix }) {
  const cells = confusionCells(matrix.matrix);
  return (
    <table class="confusion" aria-label="confusion matrix, actual classes down, predicted classes across">
      <thead>
        <tr>
          <th scope="col">actual \ predicted</th>
          {matrix.labels.map((label) => <th scope="col">{label}</th>)}
        </tr>
      </thead>
      <tbody>
        {cells.map((row, i) => (
          <tr>
            <th scope="row">{matrix.labels[i]}</th>
            {row.map(({ count, share }, j) => (
              <td class="count"
                style={{ background: `rgba(${i === j ? "31,157,85" : "214,69,69"},${(0.08 + 0.5 * share).toFixed(3)})` }}
                title={`actual ${matrix.labels[i]}, predicted ${matrix.labels[j]}: ${count} (${formatPercent(share)} of actual ${matrix.labels[i]})`}>
                {count.toLocaleString("en-US")}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
