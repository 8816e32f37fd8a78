import type { TrendMark } from './trend-marks';

/**
 * A card's marks. Each shows its short text ("评分 ▲0.2") to the eye and its sentence ("24小时内评分上升
 * 0.2") to screen readers, which would read the arrows as shapes.
 */
export function TrendMarks({ marks }: { marks: TrendMark[] }) {
  if (marks.length === 0) return null;
  return (
    <ul className="marks" aria-label="动态">
      {marks.map((mark) => (
        <li
          key={mark.kind}
          className={`mark mark-${mark.kind}${mark.direction ? ` mark-${mark.direction}` : ''}`}
          data-testid="trend-mark"
          data-kind={mark.kind}
          data-direction={mark.direction}
          title={mark.label}
        >
          <span aria-hidden="true">{mark.text}</span>
          <span className="visually-hidden">{mark.label}</span>
        </li>
      ))}
    </ul>
  );
}
