/** The background_remove op, worker side: ISNet matte (refined to full resolution), then output. */
import { DarkroomError } from '../../api/errors';
import { decode } from '../../codecs/decode';
import type { Limits } from '../../codecs/types';
import { compositeOver } from '../../core/compose';
import type { RGBAImage } from '../../core/image';
import { matteSubject } from '../matting/matting';
import { alphaMask, blurredBackground, composeCutout } from './background';
import type { BackgroundRemoveOp } from '../../pipeline/ops';

export async function applyBackgroundRemove(
	img: RGBAImage,
	op: BackgroundRemoveOp,
	assets: Record<string, Uint8Array>,
	limits: Limits,
	info: Record<string, unknown>
): Promise<RGBAImage> {
	// Decode a background image first: a bad one fails before the long model run.
	let bgImage: RGBAImage | undefined;
	if (op.background?.kind === 'image') {
		const bytes = assets[op.background.key];
		if (!bytes) throw new DarkroomError('internal', 'background image bytes were not passed to the worker');
		bgImage = (await decode(bytes, { limits })).image;
	}
	const matte = await matteSubject(img, { mode: 'quality' });
	info.model = matte.model;
	const cutout = matte.image;
	if (op.output === 'mask') return alphaMask(cutout);
	const bg = op.background;
	if (!bg) return cutout;
	if (bg.kind === 'color') return composeCutout(cutout, { kind: 'color', color: bg.color });
	if (bg.kind === 'blur') return compositeOver(blurredBackground(img, cutout), cutout, 0, 0);
	return composeCutout(cutout, { kind: 'image', image: bgImage! });
}
