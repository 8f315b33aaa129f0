// The latest screenshot, scaled to fit, with the proposed click marked where it will land.
import { memo, useRef } from 'react';
import { t } from '../i18n/index.ts';
import { percentOf } from '../state/timeline/geometry.ts';
import type { ClickPoint, Shot } from '../state/timeline/types.ts';
import { useBlobUrl } from '../state/use-app.ts';
import { useElementSize } from './use-element-size.ts';

interface Props {
  shot: (Shot & { step: number }) | undefined;
  clickPoint: ClickPoint | undefined;
}

export const LiveScreen = memo(function LiveScreen({ shot, clickPoint }: Props) {
  const blobUrl = useBlobUrl();
  const box = useRef<HTMLDivElement>(null);
  const size = useElementSize(box);
  // Fit the image inside the box, keeping its aspect ratio, so marker percentages match the pixels.
  const fit = shot && size.width > 0 ? Math.min(size.width / shot.image.width, size.height / shot.image.height) : 0;
  const marker = shot && clickPoint && clickPoint.step === shot.step ? clickPoint : undefined;
  return (
    <div className="live-screen" ref={box}>
      {shot ? (
        <div className="screen-frame" style={{ width: shot.image.width * fit, height: shot.image.height * fit }}>
          <img
            data-testid="live-screen"
            data-step={shot.step}
            src={blobUrl(shot.ref)}
            alt={t('run.liveScreen')}
            width={shot.image.width}
            height={shot.image.height}
            draggable={false}
          />
          {marker ? (
            <div
              className="click-marker"
              data-testid="click-marker"
              data-action-id={marker.actionId}
              data-x={Math.round(marker.x)}
              data-y={Math.round(marker.y)}
              title={t('run.clickMarker')}
              style={percentOf(marker, marker.image)}
            />
          ) : null}
        </div>
      ) : (
        <p className="empty">{t('run.noScreen')}</p>
      )}
    </div>
  );
});
