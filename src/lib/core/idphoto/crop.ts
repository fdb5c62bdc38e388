/**
 * ID-photo crop planning: the pure maths of HivisionIDPhotos' `adjust_photo`
 * (hivision/creator/photo_adjuster.py), over a face box and the matte's head top.
 *
 * 1. Size: crop area = face area / head_measure_ratio, with the target's aspect.
 * 2. Place: centred horizontally on the face; face centre at head_height_ratio of the crop height.
 * 3. Shift vertically so (headTop - crop.y) / crop.height lies in [top_distance_min, top_distance_max]
 *    (Hivision's detect_distance: move by the smallest amount that reaches the band).
 * 4. If that shift would push the face's bottom edge out of the crop, grow the crop (same aspect,
 *    top kept in the band) so the whole face stays inside.
 *
 * The crop may extend outside the source; `padding` says by how much so the caller fills it
 * with transparency (as Hivision's IDphotos_cut does).
 */
import { invalidParam } from '../../api/errors';
import type { Rect } from '../geometry';

export interface FaceBox {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface IdPhotoCropParams {
	/** Face area / photo area. Default 0.2. */
	head_measure_ratio?: number;
	/** Face centre's distance from the top as a fraction of the photo height. Default 0.45. */
	head_height_ratio?: number;
	/** Max head-top distance from the photo top, fraction of photo height. Default 0.12. */
	top_distance_max?: number;
	/** Min head-top distance from the photo top, fraction of photo height. Default 0.1. */
	top_distance_min?: number;
}

export interface IdPhotoCropInput extends IdPhotoCropParams {
	sourceWidth: number;
	sourceHeight: number;
	face: FaceBox;
	/** y (source px) of the first row where the matte is opaque within the face's columns: the top of the hair. */
	headTop: number;
	/** Target photo size in px. */
	width: number;
	height: number;
}

export interface Padding {
	left: number;
	top: number;
	right: number;
	bottom: number;
}

export interface IdPhotoCropPlan {
	/** Crop rectangle in source px (fractional; may extend outside the source). Aspect = width/height. */
	crop: Rect;
	/** Target px per source px. */
	scale: number;
	/** Head top (source px), as given. */
	headTop: number;
	/** Face centre (source px). */
	faceCentre: { x: number; y: number };
	/** Transparent padding (source px, ceil'd) needed on each side where the crop leaves the source. */
	padding: Padding;
	warnings: string[];
}

export const ID_PHOTO_DEFAULTS: Required<IdPhotoCropParams> = {
	head_measure_ratio: 0.2,
	head_height_ratio: 0.45,
	top_distance_max: 0.12,
	top_distance_min: 0.1
};

/** Upscaling beyond this factor earns the 'face too small for this size' warning. */
export const MAX_UPSCALE = 2;
export const MAX_ID_PHOTO_SIDE = 10000;

function ratio(value: unknown, param: string): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) throw invalidParam(param, 'a number strictly between 0 and 1', value);
	return value;
}

function sideParam(value: unknown, param: string, max = MAX_ID_PHOTO_SIDE): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > max) throw invalidParam(param, `an integer from 1 to ${max}`, value);
	return value;
}

function finite(value: unknown, param: string, positive = false): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || (positive && value <= 0)) throw invalidParam(param, positive ? 'a positive finite number' : 'a finite number', value);
	return value;
}

/** Validates and fills defaults; throws invalidParam on bad ratios or min > max. */
export function normalizeCropParams(p: IdPhotoCropParams = {}): Required<IdPhotoCropParams> {
	const head_measure_ratio = ratio(p.head_measure_ratio ?? ID_PHOTO_DEFAULTS.head_measure_ratio, 'head_measure_ratio');
	const head_height_ratio = ratio(p.head_height_ratio ?? ID_PHOTO_DEFAULTS.head_height_ratio, 'head_height_ratio');
	const top_distance_max = ratio(p.top_distance_max ?? ID_PHOTO_DEFAULTS.top_distance_max, 'top_distance_max');
	const top_distance_min = ratio(p.top_distance_min ?? ID_PHOTO_DEFAULTS.top_distance_min, 'top_distance_min');
	if (top_distance_min > top_distance_max) throw invalidParam('top_distance_min', `a number no greater than top_distance_max (${top_distance_max})`, top_distance_min);
	if (top_distance_max >= head_height_ratio) throw invalidParam('top_distance_max', `a number below head_height_ratio (${head_height_ratio})`, top_distance_max);
	return { head_measure_ratio, head_height_ratio, top_distance_max, top_distance_min };
}

export function planIdPhotoCrop(input: IdPhotoCropInput): IdPhotoCropPlan {
	const W = sideParam(input.width, 'width');
	const H = sideParam(input.height, 'height');
	const srcW = sideParam(input.sourceWidth, 'sourceWidth', 1 << 20);
	const srcH = sideParam(input.sourceHeight, 'sourceHeight', 1 << 20);
	const p = normalizeCropParams(input);
	const face = input.face;
	if (!face || typeof face !== 'object') throw invalidParam('face', 'a face box { x, y, width, height }', face);
	const fx = finite(face.x, 'face.x');
	const fy = finite(face.y, 'face.y');
	const fw = finite(face.width, 'face.width', true);
	const fh = finite(face.height, 'face.height', true);
	const headTop = finite(input.headTop, 'headTop');
	if (headTop > fy + fh) throw invalidParam('headTop', `a y no lower than the face box's bottom (${fy + fh})`, headTop);

	const warnings: string[] = [];
	const faceCentre = { x: fx + fw / 2, y: fy + fh / 2 };

	// 1. Size: crop area = face area / head_measure_ratio, aspect W:H.
	const k = Math.sqrt((fw * fh) / p.head_measure_ratio / (W * H)); // source px per target px
	let cw = W * k;
	let ch = H * k;

	// 2. Place: face centre at head_height_ratio.
	let cy = faceCentre.y - ch * p.head_height_ratio;

	// 3. Head-top band: move the crop so the head-top distance falls inside [min, max] × ch.
	const dist = (headTop - cy) / ch;
	if (dist > p.top_distance_max) cy = headTop - p.top_distance_max * ch; // too much space above: move crop down (subject up)
	else if (dist < p.top_distance_min) cy = headTop - p.top_distance_min * ch; // too little: move crop up

	// 4. Keep the whole face inside: grow (same aspect) if the face bottom falls out of the crop.
	const faceBottom = fy + fh;
	if (faceBottom > cy + ch) {
		// headTop - cy = t·ch with t = top_distance_max (largest crop growth headroom); need faceBottom <= cy + ch
		const t = p.top_distance_max;
		const needed = (faceBottom - headTop) / (1 - t);
		if (needed > ch) {
			const g = needed / ch;
			cw *= g;
			ch = needed;
			warnings.push('crop enlarged to keep the whole face');
		}
		cy = headTop - t * ch;
	}

	// Horizontal: centred on the face.
	const cx = faceCentre.x - cw / 2;
	const crop: Rect = { x: cx, y: cy, width: cw, height: ch };
	const scale = W / cw;

	if (scale > MAX_UPSCALE) warnings.push('face too small for this size');
	if (headTop <= 0) warnings.push('head cut off');
	const padding: Padding = {
		left: Math.max(0, Math.ceil(-cx)),
		top: Math.max(0, Math.ceil(-cy)),
		right: Math.max(0, Math.ceil(cx + cw - srcW)),
		bottom: Math.max(0, Math.ceil(cy + ch - srcH))
	};
	if (padding.left > 0 || padding.right > 0) warnings.push('crop extends past the source sides');
	if (padding.bottom > 0) warnings.push('crop extends below the source');

	return { crop, scale, headTop, faceCentre, padding, warnings };
}

/**
 * Size of the HD photo: the crop at the source's own resolution, keeping the W:H aspect.
 * Never smaller than the standard W×H; capped so the longer side is at most `maxSide`.
 */
export function hdSize(W: number, H: number, crop: Rect, maxSide = MAX_ID_PHOTO_SIDE): { width: number; height: number } {
	sideParam(W, 'width');
	sideParam(H, 'height');
	finite(crop?.width, 'crop.width', true);
	let width = Math.max(W, Math.round(crop.width));
	if (Math.max(width, (width * H) / W) > maxSide) width = Math.floor((maxSide * Math.min(1, W / H)));
	width = Math.max(1, width);
	const height = Math.max(1, Math.min(maxSide, Math.round((width * H) / W)));
	return { width, height };
}
