// A step's screenshot, small, with each action's targets drawn where they land (image pixels).
import { t } from '../i18n/index.ts';
import { targetPoints } from '../state/timeline/geometry.ts';
import type { StepView } from '../state/timeline/types.ts';
import { useBlobUrl } from '../state/use-app.ts';

const WIDTH = 144;

export function StepThumbnail({ step }: { step: StepView }) {
  const blobUrl = useBlobUrl();
  const shot = step.shot;
  if (!shot) return <div className="thumb thumb-empty" style={{ width: WIDTH, height: WIDTH * 0.625 }} />;
  const { width, height } = shot.image;
  const r = width / 32;
  return (
    <div className="thumb" style={{ width: WIDTH, height: (WIDTH * height) / width }}>
      <img src={blobUrl(shot.ref)} alt={t('step.thumbnail', { step: step.step })} loading="lazy" decoding="async" width={width} height={height} draggable={false} />
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true">
        {step.actions.map((a) => {
          const points = targetPoints(a, shot);
          if (points.length === 0) return null;
          const cls = `target state-${a.state}`;
          if (points.length > 1) {
            return <polyline key={a.actionId} className={cls} points={points.map((p) => `${p.x},${p.y}`).join(' ')} strokeWidth={r / 2} fill="none" />;
          }
          const p = points[0]!;
          return (
            <g key={a.actionId} className={cls}>
              <circle cx={p.x} cy={p.y} r={r} strokeWidth={r / 2.5} fill="none" />
              <circle cx={p.x} cy={p.y} r={r / 4} />
            </g>
          );
        })}
      </svg>
    </div>
  );
}
