/**
 * image.ocr (seed 000): the text in an image, as the full text plus one entry per line with
 * its quadrilateral box, read on this device by PaddleOCR's PP-OCRv4 (src/lib/features/ocr).
 * Parameters are validated synchronously, before any bytes are read; the work runs in a pool
 * worker, the models and the recogniser's dictionary load through the model loader on first use.
 * Coordinates are in the EXIF-oriented image, the space every other call uses.
 */
import type { ApiContext } from './context';
import { resolveImageRef } from './refs';
import { DarkroomError, invalidParam } from './errors';
import { isPlainObject, optionalBoolean, optionalInteger, optionalNumber, rejectUnknownKeys } from '../pipeline/validate';
import type { Limits } from '../codecs/types';
import type { OcrResult } from '../features/ocr/ocr';

/** Same defaults as runOcr (src/lib/features/ocr/ocr.ts): PaddleOCR's drop_score and det_limit_side_len. */
export const OCR_DEFAULT_MIN_CONFIDENCE = 0.5;
export const OCR_DEFAULT_LIMIT_SIDE = 960;
export const OCR_KEYS = ['image', 'input', 'min_confidence', 'limit_side', 'detect_direction', 'idempotency_key'] as const;

export interface OcrParams {
	/** Lines read with a lower confidence are dropped (0 keeps every line). */
	min_confidence: number;
	/** Longer side of the detector's input in pixels: larger finds smaller text, slower. */
	limit_side: number;
	/** Run the 0°/180° direction classifier (upside-down lines are turned before reading). */
	detect_direction: boolean;
}

/** What the page sends to the worker's `ocr`. */
export interface OcrJob {
	bytes: Uint8Array;
	limits: Limits;
	params: OcrParams;
}

/** What the worker's `ocr` answers: runOcr's result on the decoded (oriented) image. */
export type OcrJobResult = OcrResult & { width: number; height: number; backend: string };

export type OcrPoint = [number, number];

export interface OcrLineResult {
	text: string;
	/** Mean per-character probability of the recogniser, 0..1. */
	confidence: number;
	/** Corners [top-left, top-right, bottom-right, bottom-left] of the line, in reading direction, in image pixels. */
	box: [OcrPoint, OcrPoint, OcrPoint, OcrPoint];
	/** The axis-aligned rectangle around `box`. */
	bbox: { x: number; y: number; width: number; height: number };
	/** Present (true) when the line was upside down and turned before reading. */
	flipped?: boolean;
}

export interface OcrApiResult {
	/** Every line's text, one per line ('\n'), in reading order. */
	text: string;
	/** One entry per text line (the seed's per-line blocks), in reading order. */
	lines: OcrLineResult[];
	count: number;
	width: number;
	height: number;
	model: string;
	models: string[];
	min_confidence: number;
	/** Milliseconds in the worker, decoding excluded, and per stage. */
	ms: number;
	timings: { det: number; cls: number; rec: number };
	backend: string;
}

export interface OcrApi {
	ocr(req: unknown): Promise<OcrApiResult>;
}

export function validateOcrParams(req: unknown): OcrParams {
	if (!isPlainObject(req)) throw invalidParam('request', 'an object of parameters for image.ocr', req);
	rejectUnknownKeys(req, OCR_KEYS, 'image.ocr');
	return {
		min_confidence: optionalNumber(req.min_confidence, 'min_confidence', 0, 1) ?? OCR_DEFAULT_MIN_CONFIDENCE,
		limit_side: optionalInteger(req.limit_side, 'limit_side', 320, 4096) ?? OCR_DEFAULT_LIMIT_SIDE,
		detect_direction: optionalBoolean(req.detect_direction, 'detect_direction') ?? true
	};
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const r3 = (v: number) => Math.round(v * 1000) / 1000;

export function toOcrResponse(r: OcrJobResult, params: OcrParams): OcrApiResult {
	const lines = r.lines.map((l): OcrLineResult => {
		const box = l.box.map(([x, y]) => [r1(x), r1(y)] as OcrPoint) as OcrLineResult['box'];
		const xs = box.map((p) => p[0]);
		const ys = box.map((p) => p[1]);
		const x = Math.min(...xs);
		const y = Math.min(...ys);
		const line: OcrLineResult = { text: l.text, confidence: r3(l.confidence), box, bbox: { x, y, width: r1(Math.max(...xs) - x), height: r1(Math.max(...ys) - y) } };
		if (l.flipped) line.flipped = true;
		return line;
	});
	return {
		text: r.text,
		lines,
		count: lines.length,
		width: r.width,
		height: r.height,
		model: 'pp-ocrv4',
		models: params.detect_direction ? ['ppocr-det', 'ppocr-cls', 'ppocr-rec', 'ppocr-keys'] : ['ppocr-det', 'ppocr-rec', 'ppocr-keys'],
		min_confidence: params.min_confidence,
		ms: Math.round(r.ms),
		timings: { det: Math.round(r.timings.detMs), cls: Math.round(r.timings.clsMs), rec: Math.round(r.timings.recMs) },
		backend: r.backend
	};
}

export function createOcrApi(ctx: ApiContext): OcrApi {
	return {
		ocr(raw) {
			try {
				const params = validateOcrParams(raw);
				const req = raw as Record<string, unknown>;
				if (req.image === undefined && req.input === undefined) throw new DarkroomError('invalid_parameter', 'Missing required parameter image for image.ocr', 'image');
				const param = req.image !== undefined ? 'image' : 'input';
				return ctx.idempotency.run('ocr', req.idempotency_key, req, async () => {
					const limits = ctx.limits();
					const { bytes } = await resolveImageRef(req[param], param, limits);
					const job: OcrJob = { bytes, limits, params };
					const r = await ctx.pool.run<OcrJobResult>('ocr', [job], [bytes.buffer]);
					return toOcrResponse(r, params);
				}) as Promise<OcrApiResult>;
			} catch (e) {
				return Promise.reject(e);
			}
		}
	};
}
