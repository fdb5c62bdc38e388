import { DarkroomError, invalidParam } from '../api/errors';
import type { OutputFormat } from '../codecs/types';
import type { RGBA } from '../core/image';
import { parseColor } from '../core/color';
import { validateResizeParams } from '../core/geometry';
import { validateWatermarkParams } from '../core/watermark-layout';
import {
	isPlainObject,
	optionalBoolean,
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
export type NormalizedOp = ResizeOp | CropOp | RotateOp | FlipOp | WatermarkOp | CompressOp | ConvertOp;

/** Ops that a later release implements: named so the error can say so. */
const LATER: Record<string, string> = {
	background_remove: 'background removal',
	face_blur: 'face blur',
	smart_crop: 'smart crop'
};

export const OP_NAMES = ['resize', 'crop', 'rotate', 'flip', 'flop', 'auto_orient', 'watermark', 'compress', 'convert'] as const;

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
		default:
			throw invalidParam(`${where}.op`, `one of ${OP_NAMES.join(', ')}`, name);
	}
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
