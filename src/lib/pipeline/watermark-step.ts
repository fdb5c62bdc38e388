import { DarkroomError } from '../api/errors';
import { decode } from '../codecs/decode';
import type { Limits } from '../codecs/types';
import type { RGBAImage } from '../core/image';
import { cloneImage } from '../core/image';
import { compositeOver } from '../core/compose';
import { resizeImage } from '../core/resample';
import { placeWatermark, validateWatermarkParams, watermarkImageWidth } from '../core/watermark-layout';
import { renderTextMark } from '../features/watermark/text';
import { tileComposite } from '../features/watermark/tile';
import type { WatermarkOp } from './ops';

/** Renders the mark (text in the worker's canvas with the bundled font, or a decoded image) and lays it on. */
export async function applyWatermark(img: RGBAImage, op: WatermarkOp, assets: Record<string, Uint8Array>, limits: Limits): Promise<RGBAImage> {
	const p = validateWatermarkParams(op.raw, img);
	let mark: RGBAImage;
	if (op.imageKey !== undefined) {
		const bytes = assets[op.imageKey];
		if (!bytes) throw new DarkroomError('internal', 'watermark_image bytes were not passed to the worker');
		mark = (await decode(bytes, { limits })).image;
		const w = watermarkImageWidth(p.size, img.width);
		if (w !== mark.width) mark = resizeImage(mark, w, Math.max(1, Math.round((mark.height * w) / mark.width)), 'lanczos3');
	} else {
		mark = await renderTextMark(p.text ?? '', { size: p.size, color: p.color });
	}
	if (p.tiled) return tileComposite(img, mark, { angle: p.angle, space: p.space, opacity: p.opacity });
	const { x, y } = placeWatermark(img.width, img.height, mark.width, mark.height, p.position, p.margin);
	return compositeOver(cloneImage(img), mark, x, y, p.opacity);
}
