import { DarkroomError } from '../api/errors';
import { decode } from '../codecs/decode';
import type { Limits } from '../codecs/types';
import type { RGBAImage } from '../core/image';
import { cloneImage } from '../core/image';
import { compositeOver } from '../core/compose';
import { resizeImage } from '../core/resample';
import { placeWatermark } from '../core/watermark-layout';
import { renderTextMark } from '../features/watermark/text';
import { tileComposite } from '../features/watermark/tile';
import type { WatermarkOp } from './ops';

/** Renders the mark (text in the worker's canvas with the bundled font, or a decoded image) and lays it on. */
export async function applyWatermark(img: RGBAImage, op: WatermarkOp, assets: Record<string, Uint8Array>, limits: Limits): Promise<RGBAImage> {
	const p = op.params;
	let mark: RGBAImage;
	if (op.imageKey !== undefined) {
		const bytes = assets[op.imageKey];
		if (!bytes) throw new DarkroomError('internal', 'watermark_image bytes were not passed to the worker');
		mark = (await decode(bytes, { limits })).image;
		// size ≤ 1 is a fraction of the image width; > 1 is pixels.
		const targetW = Math.max(1, Math.round(p.size <= 1 ? p.size * img.width : p.size));
		const targetH = Math.max(1, Math.round((mark.height * targetW) / mark.width));
		if (targetW !== mark.width) mark = resizeImage(mark, targetW, targetH, 'lanczos3');
	} else {
		mark = await renderTextMark(p.text ?? '', { size: p.size, color: p.color });
	}
	const out = cloneImage(img);
	if (p.tiled) return tileComposite(out, mark, { angle: p.angle, space: p.space, opacity: p.opacity });
	const { x, y } = placeWatermark(out.width, out.height, mark.width, mark.height, p.position, p.margin);
	compositeOver(out, mark, x, y, p.opacity);
	return out;
}
