import type { RGBAImage } from '../../core/image';
import { tileComposite, type TileCompositeOptions } from '../../core/watermark-tile';

export { tileComposite, type TileCompositeOptions };

/**
 * The tiled (seed 001) watermark: `mark` (e.g. from renderTextMark) repeated over a
 * copy of `img`. The pixel work is pure and lives in core (tileComposite); this is the
 * name the watermark feature is called by.
 */
export function renderTiledWatermark(img: RGBAImage, mark: RGBAImage, opts: TileCompositeOptions): RGBAImage {
	return tileComposite(img, mark, opts);
}
