/**
 * What goes behind a cut-out: a colour, a blurred copy of the photo's own background
 * ("portrait mode"), or another image cover-fitted to the same size. Also the matte as a
 * grayscale mask.
 */
import { gaussianBlur } from '../../core/blur';
import { compositeOver, flattenOnto } from '../../core/compose';
import { cropImage } from '../../core/crop';
import type { RGBA, RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';

/** Validated `background` of background_remove. */
export type CutoutBackground = { kind: 'color'; color: RGBA } | { kind: 'blur' } | { kind: 'image'; key: string };

/** Longest side at which the background blur is computed (it is smooth, so it upsamples cleanly). */
const BLUR_WORK_SIDE = 1024;
/** σ of the background blur as a fraction of the image's longest side. */
export const BACKGROUND_BLUR = 0.025;

/** The cut-out's alpha as an opaque grayscale image (white = subject). */
export function alphaMask(cutout: RGBAImage): RGBAImage {
	const { width, height, data } = cutout;
	const out = new Uint8ClampedArray(data.length);
	for (let i = 0; i < data.length; i += 4) {
		const a = data[i + 3];
		out[i] = out[i + 1] = out[i + 2] = a;
		out[i + 3] = 255;
	}
	return { width, height, data: out };
}

/**
 * A strongly blurred copy of the photo's background alone: the subject (weighted out by
 * its alpha) lends no colour to it, so no halo of the subject spreads around the cut-out.
 */
export function blurredBackground(original: RGBAImage, cutout: RGBAImage): RGBAImage {
	const { width: W, height: H } = original;
	const weighted = new Uint8ClampedArray(original.data);
	for (let i = 3; i < weighted.length; i += 4) weighted[i] = Math.round(((255 - cutout.data[i]) * original.data[i]) / 255);
	const s = Math.min(1, BLUR_WORK_SIDE / Math.max(W, H));
	const w = Math.max(1, Math.round(W * s)), h = Math.max(1, Math.round(H * s));
	const small = resizeImage({ width: W, height: H, data: weighted }, w, h, 'linear');
	const blurred = gaussianBlur(small, Math.max(w, h) * BACKGROUND_BLUR);
	// Cells with no background anywhere near stay transparent after the blur: they lie under
	// the opaque subject, so any colour will do. Make the layer opaque.
	for (let i = 3; i < blurred.data.length; i += 4) blurred.data[i] = 255;
	return w === W && h === H ? blurred : resizeImage(blurred, W, H, 'linear');
}

/** `bg` scaled to cover W × H and centre-cropped to it. */
export function coverFit(bg: RGBAImage, W: number, H: number): RGBAImage {
	const s = Math.max(W / bg.width, H / bg.height);
	const w = Math.max(W, Math.round(bg.width * s)), h = Math.max(H, Math.round(bg.height * s));
	const scaled = w === bg.width && h === bg.height ? bg : resizeImage(bg, w, h, 'lanczos3');
	return w === W && h === H ? scaled : cropImage(scaled, { x: Math.floor((w - W) / 2), y: Math.floor((h - H) / 2), width: W, height: H });
}

/** The cut-out over `background`. */
export function composeCutout(cutout: RGBAImage, background: { kind: 'color'; color: RGBA } | { kind: 'image'; image: RGBAImage }): RGBAImage {
	if (background.kind === 'color') return flattenOnto(cutout, background.color);
	const base = coverFit(background.image, cutout.width, cutout.height);
	const canvas: RGBAImage = { width: base.width, height: base.height, data: base === background.image ? new Uint8ClampedArray(base.data) : base.data };
	return compositeOver(canvas, cutout, 0, 0);
}
