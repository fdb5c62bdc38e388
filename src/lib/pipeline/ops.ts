import { DarkroomError, invalidParam } from '../api/errors';
import type { OutputFormat } from '../codecs/types';
import type { RGBA } from '../core/image';
import { parseColor } from '../core/color';
import { validateResizeParams } from '../core/geometry';
import { validateWatermarkParams } from '../core/watermark-layout';
import { parseAspect, type Aspect } from '../features/smartcrop/aspect';
import type { CutoutBackground } from '../features/bgremove/background';
import { DEFAULT_MARGIN, DEFAULT_STRENGTH, type BlurShape, type BlurStyle } from '../features/blur/regions';
import {
	isPlainObject,
	optionalBoolean,
	optionalEnum,
	optionalFormat,
	optionalInteger,
	optionalNumber,
	rejectUnknownKeys
} from './validate';

/**
 * The op schema of `image.process`: every op is validated and normalised here,
 * in full, before any pixel is decoded.
 */

export type ResizeOp = { op: 'resize' } & ReturnType<typeof validateResizeParams>;
export type CropOp = { op: 'crop'; x: number; y: number; width: number; height: number };
export type RotateOp = { op: 'rotate'; degrees: number; background: RGBA; autoOrient: boolean };
export type FlipOp = { op: 'flip' } | { op: 'flop' } | { op: 'auto_orient' };
/** `raw` is kept because some defaults (text size, margin) follow the image size, known only after decoding. */
export type WatermarkOp = { op: 'watermark'; raw: Record<string, unknown>; imageKey?: string };
export type CompressOp = { op: 'compress'; quality?: number; targetBytes?: number; allowDownscale: boolean };
export type ConvertOp = { op: 'convert'; format: OutputFormat; quality?: number };
export type BackgroundRemoveOp = { op: 'background_remove'; output: 'cutout' | 'mask'; background?: CutoutBackground };
export type FaceBlurOp = {
	op: 'face_blur';
	style: BlurStyle;
	strength: number;
	margin: number;
	/** undefined: ellipse for faces, rect for user regions. */
	shape?: BlurShape;
	color: RGBA;
	detect: boolean;
	regions: { x: number; y: number; width: number; height: number; shape?: BlurShape }[];
};
export type SmartCropOp = { op: 'smart_crop'; aspect: Aspect; target: 'auto' | 'face' | 'saliency'; width?: number; height?: number };
export type NormalizedOp = ResizeOp | CropOp | RotateOp | FlipOp | WatermarkOp | CompressOp | ConvertOp | BackgroundRemoveOp | FaceBlurOp | SmartCropOp;

/** Ops that a later release implements: named so the error can say so. */
const LATER: Record<string, string> = {};

export const OP_NAMES = ['resize', 'crop', 'rotate', 'flip', 'flop', 'auto_orient', 'watermark', 'compress', 'convert', 'background_remove', 'face_blur', 'smart_crop'] as const;

export const BACKGROUND_REMOVE_KEYS = ['output', 'background'] as const;
export const FACE_BLUR_KEYS = ['style', 'strength', 'margin', 'shape', 'color', 'detect', 'regions'] as const;
export const SMART_CROP_KEYS = ['aspect', 'target', 'width', 'height'] as const;

const TRANSPARENT: RGBA = [0, 0, 0, 0];

/**
 * @param raw the `ops` array as received
 * @param keyForImage registers a watermark image reference and returns its key (the
 *   caller resolves the bytes); called only for ops that carry an image.
 */
export function validateOps(raw: unknown, keyForImage: (ref: unknown, param: string) => string = () => ''): NormalizedOp[] {
	if (raw === undefined || raw === null) return [];
	if (!Array.isArray(raw)) throw invalidParam('ops', 'an array of { op, params }', raw);
	if (raw.length > 100) throw invalidParam('ops', 'at most 100 ops', raw);
	return raw.map((step, i) => validateOp(step, i, keyForImage));
}

function validateOp(step: unknown, i: number, keyForImage: (ref: unknown, param: string) => string): NormalizedOp {
	const where = `ops[${i}]`;
	if (!isPlainObject(step)) throw invalidParam(where, 'an object { op, params }', step);
	const name = step.op;
	if (typeof name !== 'string') throw invalidParam(`${where}.op`, `one of ${OP_NAMES.join(', ')}`, name);
	if (name in LATER)
		throw new DarkroomError('not_implemented', `The ${name} op (${LATER[name]}) is not available in this release of Darkroom yet`, `${where}.op`);
	const params = step.params ?? {};
	if (!isPlainObject(params)) throw invalidParam(`${where}.params`, 'an object', params);
	return prefixErrors(where, () => normalize(name, params, where, keyForImage));
}

/** A single op given as top-level parameters (`image.resize({ width })`): errors name the bare parameter. */
export function validateDirectOp(name: string, params: Record<string, unknown>, keyForImage: (ref: unknown, param: string) => string = () => ''): NormalizedOp {
	return normalize(name, params, name, keyForImage);
}

function normalize(name: string, p: Record<string, unknown>, where: string, keyForImage: (ref: unknown, param: string) => string): NormalizedOp {
	switch (name) {
		case 'resize':
			rejectUnknownKeys(p, ['width', 'height', 'fit', 'enlarge', 'position', 'gravity', 'background', 'kernel'], 'resize');
			return { op: 'resize', ...validateResizeParams(p) };
		case 'crop': {
			rejectUnknownKeys(p, ['x', 'y', 'width', 'height'], 'crop');
			const x = need(p.x, 'x', () => optionalInteger(p.x, 'x', 0, 65535, 'non-negative integer'));
			const y = need(p.y, 'y', () => optionalInteger(p.y, 'y', 0, 65535, 'non-negative integer'));
			const width = need(p.width, 'width', () => optionalInteger(p.width, 'width', 1, 65535, 'positive integer'));
			const height = need(p.height, 'height', () => optionalInteger(p.height, 'height', 1, 65535, 'positive integer'));
			return { op: 'crop', x, y, width, height };
		}
		case 'rotate': {
			rejectUnknownKeys(p, ['degrees', 'angle', 'auto_orient', 'background'], 'rotate');
			const raw = p.degrees ?? p.angle ?? 0;
			const degrees = optionalNumber(raw, 'degrees', -36000, 36000, 'number of degrees')!;
			const autoOrient = optionalBoolean(p.auto_orient, 'auto_orient') ?? true;
			const background = p.background === undefined ? TRANSPARENT : parseColor(String(p.background), 'background');
			if (typeof p.background !== 'undefined' && typeof p.background !== 'string') throw invalidParam('background', 'a colour string', p.background);
			return { op: 'rotate', degrees, background, autoOrient };
		}
		case 'flip':
		case 'flop':
		case 'auto_orient':
			rejectUnknownKeys(p, [], name);
			return { op: name };
		case 'watermark': {
			validateWatermarkParams(p);
			const { watermark_image, ...raw } = p;
			const op: WatermarkOp = { op: 'watermark', raw: watermark_image === undefined || watermark_image === null ? raw : { ...raw, watermark_image: true } };
			if (p.watermark_image !== undefined && p.watermark_image !== null) op.imageKey = keyForImage(p.watermark_image, `${where}.params.watermark_image`);
			return op;
		}
		case 'compress': {
			rejectUnknownKeys(p, ['quality', 'target_bytes', 'allow_downscale', 'format'], 'compress');
			const quality = optionalNumber(p.quality, 'quality', 0, 100);
			const targetBytes = optionalInteger(p.target_bytes, 'target_bytes', 64, 1024 * 1024 * 1024, 'integer number of bytes ≥ 64');
			if (quality === undefined && targetBytes === undefined)
				throw new DarkroomError('invalid_parameter', 'compress needs quality (0–100) or target_bytes', 'quality');
			const allowDownscale = optionalBoolean(p.allow_downscale, 'allow_downscale') ?? false;
			const op: CompressOp = { op: 'compress', allowDownscale };
			if (quality !== undefined) op.quality = quality;
			if (targetBytes !== undefined) op.targetBytes = targetBytes;
			return op;
		}
		case 'convert': {
			rejectUnknownKeys(p, ['format', 'quality'], 'convert');
			const format = optionalFormat(p.format);
			if (!format) throw new DarkroomError('invalid_parameter', 'Missing required parameter format (jpeg, png, webp or avif)', 'format');
			const quality = optionalNumber(p.quality, 'quality', 0, 100);
			return quality === undefined ? { op: 'convert', format } : { op: 'convert', format, quality };
		}
		case 'background_remove':
			rejectUnknownKeys(p, BACKGROUND_REMOVE_KEYS, 'background_remove');
			return validateBackgroundRemove(p, (ref) => keyForImage(ref, where === name ? 'background' : `${where}.params.background`));
		case 'face_blur':
			rejectUnknownKeys(p, FACE_BLUR_KEYS, 'face_blur');
			return validateFaceBlur(p);
		case 'smart_crop':
			rejectUnknownKeys(p, SMART_CROP_KEYS, 'smart_crop');
			return validateSmartCrop(p);
		default:
			throw invalidParam(`${where}.op`, `one of ${OP_NAMES.join(', ')}`, name);
	}
}

/** A string `background` that is neither a colour nor 'blur' but looks like an image address. */
const IMAGE_STRING = /^(data:|blob:|https?:|\/|\.\.?\/)/i;

function validateBackgroundRemove(p: Record<string, unknown>, keyForImage: (ref: unknown) => string): BackgroundRemoveOp {
	const output = optionalEnum(p.output, 'output', ['cutout', 'mask'] as const) ?? 'cutout';
	const op: BackgroundRemoveOp = { op: 'background_remove', output };
	const bg = p.background;
	if (bg === undefined || bg === null) return op;
	if (output === 'mask') throw new DarkroomError('invalid_parameter', 'background cannot be combined with output: "mask" (a mask has no background)', 'background');
	if (typeof bg === 'string') {
		if (bg.trim().toLowerCase() === 'blur') op.background = { kind: 'blur' };
		else if (IMAGE_STRING.test(bg.trim())) op.background = { kind: 'image', key: keyForImage(bg) };
		else {
			try {
				op.background = { kind: 'color', color: parseColor(bg, 'background') };
			} catch {
				throw invalidParam('background', 'a colour ("#ffffff", "white"), "blur", or an image ({ url }, { base64 }, a Blob or a URL)', bg);
			}
		}
	} else if (typeof bg === 'object' || bg instanceof ArrayBuffer) op.background = { kind: 'image', key: keyForImage(bg) };
	else throw invalidParam('background', 'a colour ("#ffffff", "white"), "blur", or an image ({ url }, { base64 }, a Blob or a URL)', bg);
	return op;
}

function validateFaceBlur(p: Record<string, unknown>): FaceBlurOp {
	const style = optionalEnum(p.style, 'style', ['gaussian', 'pixelate', 'box'] as const) ?? 'gaussian';
	const strength = optionalNumber(p.strength, 'strength', 0, 100) ?? DEFAULT_STRENGTH;
	const margin = optionalNumber(p.margin, 'margin', 0, 2, 'number between 0 and 2 (a fraction of the face box)') ?? DEFAULT_MARGIN;
	const shape = optionalEnum(p.shape, 'shape', ['ellipse', 'rect'] as const);
	if (p.color !== undefined && typeof p.color !== 'string') throw invalidParam('color', 'a colour string', p.color);
	const color = p.color === undefined ? ([0, 0, 0, 255] as RGBA) : parseColor(p.color as string, 'color');
	const detect = optionalBoolean(p.detect, 'detect') ?? true;
	const regions: FaceBlurOp['regions'] = [];
	if (p.regions !== undefined && p.regions !== null) {
		if (!Array.isArray(p.regions)) throw invalidParam('regions', 'an array of { x, y, width, height }', p.regions);
		if (p.regions.length > 1000) throw invalidParam('regions', 'at most 1000 regions', p.regions);
		p.regions.forEach((r, i) => {
			const at = `regions[${i}]`;
			if (!isPlainObject(r)) throw invalidParam(at, 'an object { x, y, width, height }', r);
			rejectUnknownKeys(r, ['x', 'y', 'width', 'height', 'shape'], at);
			const x = need(r.x, `${at}.x`, () => optionalInteger(r.x, `${at}.x`, 0, 65535, 'non-negative integer'));
			const y = need(r.y, `${at}.y`, () => optionalInteger(r.y, `${at}.y`, 0, 65535, 'non-negative integer'));
			const width = need(r.width, `${at}.width`, () => optionalInteger(r.width, `${at}.width`, 1, 65535, 'positive integer'));
			const height = need(r.height, `${at}.height`, () => optionalInteger(r.height, `${at}.height`, 1, 65535, 'positive integer'));
			const rs = optionalEnum(r.shape, `${at}.shape`, ['ellipse', 'rect'] as const);
			regions.push(rs ? { x, y, width, height, shape: rs } : { x, y, width, height });
		});
	}
	if (!detect && regions.length === 0) throw new DarkroomError('invalid_parameter', 'face_blur with detect: false needs regions to blur', 'regions');
	const op: FaceBlurOp = { op: 'face_blur', style, strength, margin, color, detect, regions };
	if (shape) op.shape = shape;
	return op;
}

function validateSmartCrop(p: Record<string, unknown>): SmartCropOp {
	if (p.aspect === undefined || p.aspect === null) throw new DarkroomError('invalid_parameter', 'Missing required parameter aspect (e.g. "1:1", "16:9", "4:5")', 'aspect');
	const aspect = parseAspect(p.aspect, 'aspect');
	const target = optionalEnum(p.target, 'target', ['face', 'saliency'] as const) ?? 'auto';
	const width = optionalInteger(p.width, 'width', 1, 65535, 'positive integer');
	const height = optionalInteger(p.height, 'height', 1, 65535, 'positive integer');
	if (width !== undefined && height !== undefined && Math.abs(width / height - aspect.w / aspect.h) > (aspect.w / aspect.h) * 0.01 + 1 / height)
		throw new DarkroomError('invalid_parameter', `width ${width} and height ${height} do not have the aspect ${aspect.w}:${aspect.h}; give one of them and the other follows`, 'height');
	const op: SmartCropOp = { op: 'smart_crop', aspect, target };
	if (width !== undefined) op.width = width;
	if (height !== undefined) op.height = height;
	return op;
}

function need<T>(v: unknown, param: string, f: () => T | undefined): T {
	if (v === undefined || v === null) throw new DarkroomError('invalid_parameter', `Missing required parameter ${param}`, param);
	return f() as T;
}

/** Errors inside an op name the op: `ops[1].params.width`. */
function prefixErrors<T>(where: string, f: () => T): T {
	try {
		return f();
	} catch (e) {
		if (e instanceof DarkroomError && e.param && !e.param.startsWith('ops[')) {
			throw new DarkroomError(e.code, `${where}: ${e.message}`, `${where}.params.${e.param}`);
		}
		throw e;
	}
}
