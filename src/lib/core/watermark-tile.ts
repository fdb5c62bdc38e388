import { invalidParam } from '../api/errors';
import { compositeOver } from './compose';
import { cloneImage, type RGBAImage } from './image';
import { rotateImage } from './rotate';
import { tileWatermarkPositions, type TileLayout } from './watermark-layout';

export interface TileCompositeOptions extends TileLayout {
	/** 0..1, multiplied into the mark's own alpha. */
	opacity: number;
}

/**
 * A copy of `img` with `mark` tiled over all of it (layout: tileWatermarkPositions).
 * The mark is rotated once, anticlockwise by `angle` (HivisionIDPhotos' sense, hence
 * the minus for rotateImage's clockwise one), then composited at every position.
 */
export function tileComposite(img: RGBAImage, mark: RGBAImage, opts: TileCompositeOptions): RGBAImage {
	if (typeof opts.angle !== 'number' || !Number.isFinite(opts.angle)) throw invalidParam('angle', 'finite number', opts.angle);
	if (typeof opts.space !== 'number' || !(opts.space >= 0)) throw invalidParam('space', 'non-negative integer', opts.space);
	const out = cloneImage(img);
	const rotated = opts.angle === 0 ? mark : rotateImage(mark, -opts.angle);
	for (const { x, y } of tileWatermarkPositions(img.width, img.height, mark.width, mark.height, opts)) {
		compositeOver(out, rotated, x, y, opts.opacity);
	}
	return out;
}
