import { DarkroomError, invalidParam } from '../api/errors';
import type { Fit, ResizeParams } from '../api/types';
import { parseColor } from './color';
import type { RGBA } from './image';

export interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** The nine anchors every gravity spelling collapses to. */
export type Anchor =
	| 'center' | 'top' | 'bottom' | 'left' | 'right'
	| 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/** The interpolation kernels of the resampler. */
export type Kernel = Exclude<NonNullable<ResizeParams['kernel']>, 'ai'>;
/** What resize accepts: an interpolation kernel, or 'ai' (super-resolution when enlarging, else lanczos3). */
export type ResizeKernel = NonNullable<ResizeParams['kernel']>;

export const FITS: readonly Fit[] = ['cover', 'contain', 'fill', 'inside', 'outside'];
export const KERNELS: readonly Kernel[] = ['lanczos3', 'lanczos2', 'cubic', 'linear', 'nearest'];
export const RESIZE_KERNELS: readonly ResizeKernel[] = [...KERNELS, 'ai'];
/** Largest width or height accepted anywhere: the WebP/AVIF/PNG encoders' common ceiling. */
export const MAX_DIMENSION = 65535;

const GRAVITY: Record<string, Anchor> = {
	center: 'center', centre: 'center', middle: 'center',
	top: 'top', north: 'top', n: 'top',
	bottom: 'bottom', south: 'bottom', s: 'bottom',
	left: 'left', west: 'left', w: 'left',
	right: 'right', east: 'right', e: 'right',
	topleft: 'top-left', lefttop: 'top-left', northwest: 'top-left', nw: 'top-left',
	topright: 'top-right', righttop: 'top-right', northeast: 'top-right', ne: 'top-right',
	bottomleft: 'bottom-left', leftbottom: 'bottom-left', southwest: 'bottom-left', sw: 'bottom-left',
	bottomright: 'bottom-right', rightbottom: 'bottom-right', southeast: 'bottom-right', se: 'bottom-right'
};

const GRAVITY_EXPECTED = 'valid position/gravity such as "center", "top", "bottom-right" or "northeast"';

/**
 * Accepts sharp's spellings ('centre', 'north', 'right top', 'southeast'), CSS-ish ones
 * ('top-left', 'top_left', 'Top Left') and collapses them to one Anchor.
 */
export function normalizeGravity(value: unknown, param = 'position'): Anchor {
	if (typeof value === 'string') {
		const key = value.trim().toLowerCase().replace(/[\s_-]+/g, '');
		const anchor = GRAVITY[key];
		if (anchor) return anchor;
	}
	throw invalidParam(param, GRAVITY_EXPECTED, value);
}

/** Horizontal and vertical placement of an anchor: 0 = start, 0.5 = middle, 1 = end. */
export function anchorFractions(anchor: Anchor): [fx: 0 | 0.5 | 1, fy: 0 | 0.5 | 1] {
	const fx = anchor.endsWith('left') ? 0 : anchor.endsWith('right') ? 1 : 0.5;
	const fy = anchor.startsWith('top') ? 0 : anchor.startsWith('bottom') ? 1 : 0.5;
	return [fx, fy];
}

export interface ResizeOptions {
	width?: number;
	height?: number;
	/** Default: 'cover' when both width and height are given, else 'inside'. */
	fit?: Fit;
	/** Default false: never scale up (sharp's withoutEnlargement). */
	enlarge?: boolean;
	/** cover: which part of the scaled image is kept; contain: where it sits in the box. */
	position?: Anchor | string;
}

/**
 * How to turn a srcW×srcH image into the requested output, in three steps:
 *   1. resample the whole source to scaleW×scaleH;
 *   2. if `crop` is set, cut that rectangle out of the scaled image (cover);
 *   3. place the (cropped) image at offsetX/offsetY on a canvasW×canvasH canvas
 *      filled with the background (contain); offsets are 0 and the canvas is the
 *      image itself for every other fit.
 * The output is always canvasW×canvasH.
 */
export interface ResizePlan {
	scaleW: number;
	scaleH: number;
	canvasW: number;
	canvasH: number;
	offsetX: number;
	offsetY: number;
	crop?: Rect;
}

/**
 * sharp's resize geometry (libvips' ResolveShrink + CalculateCrop/CalculateEmbedPosition),
 * so anyone who knows sharp's `fit` gets the same sizes and offsets:
 * - cover: scale to cover the box, crop the overflow at `position`.
 * - contain: scale to fit inside the box, letterbox to the exact box, image at `position`.
 * - fill: stretch each axis independently. With only one side given the other side
 *   keeps its size (sharp: aspect is ignored, so nothing makes it follow).
 * - inside: fit within the box, keep aspect, no padding (output ≤ box).
 * - outside: cover the box, keep aspect, no cropping (output ≥ box).
 * One side given (not fill): the other follows the aspect ratio.
 * enlarge=false never scales up, per axis after the fit rule, as sharp's withoutEnlargement:
 * - cover keeps the source size, cropping only an axis that is still larger than the box;
 * - contain keeps the source size *and still letterboxes to the requested box* (sharp
 *   embeds into max(image, box)), so the caller always gets the box it asked for;
 * - inside/outside/fill just keep the source size on the axes that would have grown.
 * Scaled sizes are Math.round of the exact ratio and never below 1.
 * Neither width nor height: the identity plan.
 */
export function planResize(srcW: number, srcH: number, opts: ResizeOptions = {}): ResizePlan {
	const tw = opts.width ?? 0;
	const th = opts.height ?? 0;
	const fit: Fit = opts.fit ?? (tw > 0 && th > 0 ? 'cover' : 'inside');
	const enlarge = opts.enlarge ?? false;
	const anchor = normalizeGravity(opts.position ?? 'center');

	let hshrink = 1;
	let vshrink = 1;
	if (tw > 0 && th > 0) {
		hshrink = srcW / tw;
		vshrink = srcH / th;
		if (fit === 'cover' || fit === 'outside') hshrink = vshrink = Math.min(hshrink, vshrink);
		else if (fit === 'contain' || fit === 'inside') hshrink = vshrink = Math.max(hshrink, vshrink);
	} else if (tw > 0) {
		hshrink = srcW / tw;
		if (fit !== 'fill') vshrink = hshrink;
	} else if (th > 0) {
		vshrink = srcH / th;
		if (fit !== 'fill') hshrink = vshrink;
	}
	if (!enlarge) {
		hshrink = Math.max(1, hshrink);
		vshrink = Math.max(1, vshrink);
	}
	// max(1, …) does what sharp's clamp of the shrink to the source size does: no axis of 0 px.
	const scaleW = hshrink === 1 ? srcW : Math.max(1, Math.round(srcW / hshrink));
	const scaleH = vshrink === 1 ? srcH : Math.max(1, Math.round(srcH / vshrink));
	const boxW = tw > 0 ? tw : scaleW;
	const boxH = th > 0 ? th : scaleH;
	const plan: ResizePlan = { scaleW, scaleH, canvasW: scaleW, canvasH: scaleH, offsetX: 0, offsetY: 0 };
	if (scaleW === boxW && scaleH === boxH) return plan;

	const [fx, fy] = anchorFractions(anchor);
	if (fit === 'contain') {
		plan.canvasW = Math.max(scaleW, boxW);
		plan.canvasH = Math.max(scaleH, boxH);
		// libvips embeds with integer division: the odd pixel goes right/bottom.
		plan.offsetX = Math.floor((plan.canvasW - scaleW) * fx);
		plan.offsetY = Math.floor((plan.canvasH - scaleH) * fy);
	} else if (fit === 'cover') {
		const cw = Math.min(scaleW, boxW);
		const ch = Math.min(scaleH, boxH);
		if (cw !== scaleW || ch !== scaleH) {
			// libvips crops with (in - out + 1) / 2: the odd pixel is cut from the left/top.
			const x = fx === 0.5 ? Math.floor((scaleW - cw + 1) / 2) : fx * (scaleW - cw);
			const y = fy === 0.5 ? Math.floor((scaleH - ch + 1) / 2) : fy * (scaleH - ch);
			plan.crop = { x, y, width: cw, height: ch };
			plan.canvasW = cw;
			plan.canvasH = ch;
		}
	}
	return plan;
}

export interface NormalizedResize {
	width?: number;
	height?: number;
	fit: Fit;
	enlarge: boolean;
	position: Anchor;
	/** contain's letterbox colour; sharp's default is opaque black. */
	background: RGBA;
	/** 'ai': super-resolution (features/superres) when the resize enlarges, lanczos3 otherwise. */
	kernel: ResizeKernel;
}

function isDefined(v: unknown): boolean {
	return v !== undefined && v !== null;
}

/** `positive integer` ≤ max, with sharp's message for the common mistake and a bounded one for the rest. */
export function validateDimension(value: unknown, param: string, max = MAX_DIMENSION): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw invalidParam(param, 'positive integer', value);
	if (value > max) throw invalidParam(param, `positive integer no greater than ${max}`, value);
	return value;
}

/**
 * Validates a resize request (seed 000's width/height/fit/enlarge plus sharp's
 * position/background/kernel) before any pixel is touched, and fills in defaults.
 * At least one of width and height is required. null counts as absent, as in sharp.
 */
export function validateResizeParams(p: unknown, opts: { maxDimension?: number } = {}): NormalizedResize {
	if (typeof p !== 'object' || p === null || Array.isArray(p)) throw invalidParam('resize', 'object', p);
	const o = p as Record<string, unknown>;
	const max = opts.maxDimension ?? MAX_DIMENSION;
	const width = isDefined(o.width) ? validateDimension(o.width, 'width', max) : undefined;
	const height = isDefined(o.height) ? validateDimension(o.height, 'height', max) : undefined;
	if (width === undefined && height === undefined) {
		throw new DarkroomError('invalid_parameter', 'Expected width and/or height for resize but received neither', 'width');
	}
	let fit: Fit = width !== undefined && height !== undefined ? 'cover' : 'inside';
	if (isDefined(o.fit)) {
		if (typeof o.fit !== 'string' || !(FITS as readonly string[]).includes(o.fit)) {
			throw invalidParam('fit', `valid fit (one of ${FITS.join(', ')})`, o.fit);
		}
		fit = o.fit as Fit;
	}
	let enlarge = false;
	if (isDefined(o.enlarge)) {
		if (typeof o.enlarge !== 'boolean') throw invalidParam('enlarge', 'boolean', o.enlarge);
		enlarge = o.enlarge;
	}
	// `gravity` is sharp's word for the same anchor in composite/extract; accepted as an alias.
	const position = isDefined(o.position)
		? normalizeGravity(o.position, 'position')
		: isDefined(o.gravity) ? normalizeGravity(o.gravity, 'gravity') : 'center';
	const background: RGBA = isDefined(o.background) ? parseColor(o.background as string, 'background') : [0, 0, 0, 255];
	let kernel: ResizeKernel = 'lanczos3';
	if (isDefined(o.kernel)) {
		if (typeof o.kernel !== 'string' || !(RESIZE_KERNELS as readonly string[]).includes(o.kernel)) {
			throw invalidParam('kernel', `valid kernel name (one of ${RESIZE_KERNELS.join(', ')})`, o.kernel);
		}
		kernel = o.kernel as ResizeKernel;
	}
	const out: NormalizedResize = { fit, enlarge, position, background, kernel };
	if (width !== undefined) out.width = width;
	if (height !== undefined) out.height = height;
	return out;
}
