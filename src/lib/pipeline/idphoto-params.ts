import { DarkroomError, invalidParam } from '../api/errors';
import { isPlainObject } from './validate';
import { ADJUST_KEYS, ADJUST_RANGES, type Adjustments } from '../core/adjust';

/**
 * HivisionIDPhotos' parameters, names and defaults as its API documents them
 * (seed 001). Its examples send multipart forms, so numbers and booleans given as
 * strings ("413", "true") are accepted too.
 */

type Req = Record<string, unknown>;

function num(req: Req, key: string, def: number | undefined, min: number, max: number, integer: boolean, expected: string): number | undefined {
	let v = req[key];
	if (v === undefined || v === null || v === '') return def;
	if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) v = Number(v);
	if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) throw invalidParam(key, expected, req[key]);
	return v;
}

function int(req: Req, key: string, def: number, min: number, max: number): number {
	return num(req, key, def, min, max, true, `integer between ${min} and ${max}`)!;
}

function ratio(req: Req, key: string, def: number): number {
	return num(req, key, def, 0.0001, 0.9999, false, 'number between 0 and 1 (exclusive)')!;
}

function bool(req: Req, key: string, def: boolean): boolean {
	const v = req[key];
	if (v === undefined || v === null || v === '') return def;
	if (typeof v === 'boolean') return v;
	if (v === 'true' || v === '1' || v === 1) return true;
	if (v === 'false' || v === '0' || v === 0) return false;
	throw invalidParam(key, 'boolean', v);
}

/** The seed's matting model names, mapped to what ships: ISNet at 1024² (quality) or MediaPipe selfie segmentation at 256² + guided-filter refinement (fast). */
export const MATTING_MODELS: Record<string, 'quality' | 'fast'> = {
	modnet_photographic_portrait_matting: 'quality',
	hivision_modnet: 'fast',
	'rmbg-1.4': 'quality',
	'birefnet-v1-lite': 'quality',
	isnet: 'quality',
	fast: 'fast',
	quality: 'quality'
};
/** The seed's face detectors all map to BlazeFace, the one that ships. */
export const FACE_MODELS = ['mtcnn', 'face_plusplus', 'retinaface-resnet50', 'blazeface'];

export function mattingMode(req: Req): { requested: string; mode: 'quality' | 'fast' } {
	const requested = req.human_matting_model === undefined || req.human_matting_model === null || req.human_matting_model === '' ? 'modnet_photographic_portrait_matting' : req.human_matting_model;
	if (typeof requested !== 'string' || !(requested in MATTING_MODELS)) throw invalidParam('human_matting_model', `one of ${Object.keys(MATTING_MODELS).join(', ')}`, requested);
	return { requested, mode: MATTING_MODELS[requested] };
}

function faceModel(req: Req): string {
	const v = req.face_detect_model ?? 'mtcnn';
	if (typeof v !== 'string' || !FACE_MODELS.includes(v)) throw invalidParam('face_detect_model', `one of ${FACE_MODELS.join(', ')}`, v);
	return v;
}

export interface CropParams {
	width: number;
	height: number;
	hd: boolean;
	dpi: number;
	head_measure_ratio: number;
	head_height_ratio: number;
	top_distance_max: number;
	top_distance_min: number;
	face_detect_model: string;
}

export type { Adjustments } from '../core/adjust';

export interface IdPhotoParams extends CropParams {
	face_alignment: boolean;
	matting: { requested: string; mode: 'quality' | 'fast' };
	adjust: Adjustments;
}

function cropParams(req: Req, sizeRequired: boolean): CropParams {
	if (sizeRequired)
		for (const k of ['width', 'height'])
			if (req[k] === undefined || req[k] === null) throw new DarkroomError('invalid_parameter', `Missing required parameter ${k}`, k);
	const p: CropParams = {
		width: int(req, 'width', 295, 16, 10_000),
		height: int(req, 'height', 413, 16, 10_000),
		hd: bool(req, 'hd', true),
		dpi: int(req, 'dpi', 300, 1, 10_000),
		head_measure_ratio: ratio(req, 'head_measure_ratio', 0.2),
		head_height_ratio: ratio(req, 'head_height_ratio', 0.45),
		top_distance_max: ratio(req, 'top_distance_max', 0.12),
		top_distance_min: ratio(req, 'top_distance_min', 0.1),
		face_detect_model: faceModel(req)
	};
	if (p.top_distance_min > p.top_distance_max)
		throw new DarkroomError('invalid_parameter', `Expected top_distance_min (${p.top_distance_min}) ≤ top_distance_max (${p.top_distance_max})`, 'top_distance_min');
	return p;
}

/**
 * HivisionIDPhotos' beauty parameters (its idphoto endpoint and app): whitening_strength 0–15,
 * brightness_strength −5–25, contrast_strength −10–50, sharpen_strength 0–5,
 * saturation_strength −10–50. Each defaults to 0, no change (the app's whitening default of 2
 * is a page choice, not the API's).
 */
export function adjustParams(req: Req): Adjustments {
	const out = {} as Adjustments;
	for (const k of ADJUST_KEYS) {
		const [lo, hi] = ADJUST_RANGES[k];
		out[k] = num(req, k, 0, lo, hi, false, `number between ${lo} and ${hi}`)!;
	}
	return out;
}

export function idPhotoParams(raw: unknown): IdPhotoParams {
	const req = asReq(raw, 'idphoto');
	return {
		...cropParams(req, false),
		face_alignment: bool(req, 'face_alignment', true),
		matting: mattingMode(req),
		adjust: adjustParams(req)
	};
}

/** idphoto.adjust (a Darkroom addition): the five adjustments on an image, alpha kept; dpi for the PNG. */
export function adjustOnlyParams(raw: unknown): { adjust: Adjustments; dpi: number } {
	const req = asReq(raw, 'adjust');
	return { adjust: adjustParams(req), dpi: int(req, 'dpi', 300, 1, 10_000) };
}

export function idPhotoCropParams(raw: unknown): CropParams {
	return cropParams(asReq(raw, 'idphoto_crop'), true);
}

export function addBackgroundParams(raw: unknown): { color: string; render: 0 | 1 | 2; kb?: number; dpi: number } {
	const req = asReq(raw, 'add_background');
	if (typeof req.color !== 'string' || !/^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.test(req.color.trim()))
		throw invalidParam('color', 'a hex colour such as "638cce" or "#638cce"', req.color);
	const render = int(req, 'render', 0, 0, 2) as 0 | 1 | 2;
	const kb = num(req, 'kb', undefined, 1, 65536, true, 'positive integer number of kilobytes');
	const out: { color: string; render: 0 | 1 | 2; kb?: number; dpi: number } = { color: req.color.trim(), render, dpi: int(req, 'dpi', 300, 1, 10_000) };
	if (kb !== undefined) out.kb = kb;
	return out;
}

export function layoutParams(raw: unknown): { width: number; height: number; kb?: number; dpi: number } {
	const req = asReq(raw, 'generate_layout_photos');
	const kb = num(req, 'kb', undefined, 1, 65536, true, 'positive integer number of kilobytes');
	const out: { width: number; height: number; kb?: number; dpi: number } = { width: int(req, 'width', 295, 16, 10_000), height: int(req, 'height', 413, 16, 10_000), dpi: int(req, 'dpi', 300, 1, 10_000) };
	if (kb !== undefined) out.kb = kb;
	return out;
}

function asReq(raw: unknown, method: string): Req {
	if (!isPlainObject(raw)) throw new DarkroomError('invalid_parameter', `Expected an object of parameters for idphoto.${method}`, 'request');
	return raw;
}
