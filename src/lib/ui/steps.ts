import type { Fit, Gravity, Op, WatermarkPosition } from '$lib/api/types';
import type { Message } from '$lib/i18n';

/**
 * The toolbox's editable pipeline. Form fields hold the text the user typed; `validateStep`
 * turns them into messages per field and `stepToOp` into the API's `Op`.
 */
export const STEP_KINDS = ['resize', 'crop', 'rotate', 'flip', 'flop', 'watermark', 'compress', 'smart_crop', 'background_remove', 'face_blur'] as const;
/** Steps that run a model (the add menu groups them; the first run downloads the model). */
export const AI_STEP_KINDS: readonly StepKind[] = ['smart_crop', 'background_remove', 'face_blur'];
export type StepKind = (typeof STEP_KINDS)[number];

export const FITS: readonly Fit[] = ['inside', 'outside', 'cover', 'contain', 'fill'];
export const GRAVITIES: readonly Gravity[] = ['center', 'top', 'bottom', 'left', 'right', 'top-left', 'top-right', 'bottom-left', 'bottom-right'];
export const ASPECTS = ['1:1', '4:5', '3:4', '2:3', '16:9', '9:16', '1.91:1', 'custom'] as const;
export const BLUR_STYLES = ['gaussian', 'pixelate', 'box'] as const;
export const WATERMARK_POSITIONS: readonly WatermarkPosition[] = ['bottom-right', 'bottom-left', 'top-right', 'top-left', 'center'];

export interface ResizeStep {
	id: string;
	kind: 'resize';
	width: string;
	height: string;
	fit: Fit;
	enlarge: boolean;
	position: Gravity;
	background: string;
	transparent: boolean;
	/** Enlarge with RDN super-resolution (kernel 'ai') instead of interpolation. */
	ai: boolean;
}
export interface CropStep {
	id: string;
	kind: 'crop';
	x: string;
	y: string;
	width: string;
	height: string;
}
export interface RotateStep {
	id: string;
	kind: 'rotate';
	degrees: string;
	background: string;
	transparent: boolean;
}
export interface FlipStep {
	id: string;
	kind: 'flip' | 'flop';
}
export interface WatermarkStep {
	id: string;
	kind: 'watermark';
	mode: 'text' | 'image';
	text: string;
	image: File | null;
	position: WatermarkPosition;
	opacity: string;
	size: string;
	color: string;
	margin: string;
	tiled: boolean;
	angle: string;
	space: string;
}
export interface CompressStep {
	id: string;
	kind: 'compress';
	mode: 'quality' | 'target';
	quality: string;
	targetKb: string;
}
export interface SmartCropStep {
	id: string;
	kind: 'smart_crop';
	aspect: (typeof ASPECTS)[number];
	/** `w:h` or a number, when aspect is 'custom'. */
	customAspect: string;
	target: 'auto' | 'face' | 'saliency';
}
export interface BackgroundRemoveStep {
	id: string;
	kind: 'background_remove';
	output: 'cutout' | 'mask';
	background: 'transparent' | 'color' | 'blur';
	color: string;
}
export interface FaceBlurStep {
	id: string;
	kind: 'face_blur';
	style: (typeof BLUR_STYLES)[number];
	strength: string;
	color: string;
}
export type Step = ResizeStep | CropStep | RotateStep | FlipStep | WatermarkStep | CompressStep | SmartCropStep | BackgroundRemoveStep | FaceBlurStep;

let counter = 0;
const newId = () => `s${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Defaults that do something visible; `dims` (the selected image's size) seeds crop and resize. */
export function createStep(kind: StepKind, dims?: { width: number; height: number }): Step {
	const id = newId();
	switch (kind) {
		case 'resize':
			return {
				id, kind, width: dims ? String(Math.max(1, Math.round(dims.width / 2))) : '800', height: '',
				fit: 'inside', enlarge: false, position: 'center', background: '#000000', transparent: false, ai: false
			};
		case 'crop': {
			const w = dims ? Math.max(1, Math.round(dims.width * 0.8)) : 400;
			const h = dims ? Math.max(1, Math.round(dims.height * 0.8)) : 300;
			const x = dims ? Math.floor((dims.width - w) / 2) : 0;
			const y = dims ? Math.floor((dims.height - h) / 2) : 0;
			return { id, kind, x: String(x), y: String(y), width: String(w), height: String(h) };
		}
		case 'rotate':
			return { id, kind, degrees: '90', background: '#000000', transparent: false };
		case 'flip':
		case 'flop':
			return { id, kind };
		case 'watermark':
			return {
				id, kind, mode: 'text', text: '© Darkroom', image: null, position: 'bottom-right', opacity: '0.6', size: '',
				color: '#ffffff', margin: '', tiled: false, angle: '30', space: '25'
			};
		case 'compress':
			return { id, kind, mode: 'quality', quality: '75', targetKb: '200' };
		case 'smart_crop':
			return { id, kind, aspect: '1:1', customAspect: '3:2', target: 'auto' };
		case 'background_remove':
			return { id, kind, output: 'cutout', background: 'transparent', color: '#ffffff' };
		case 'face_blur':
			return { id, kind, style: 'gaussian', strength: '50', color: '#000000' };
	}
}

export type FieldErrors = Record<string, Message>;

const isBlank = (s: string) => s.trim() === '';
/** Accepts `12`, `-3`, `0.5`, `.5`, `1e3`; not `12px` or `1,5`. */
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function parseNumber(s: string): number | undefined {
	const v = s.trim();
	if (!NUMBER_RE.test(v)) return undefined;
	const n = Number(v);
	return Number.isFinite(n) ? n : undefined;
}

type Rule = { required?: boolean; integer?: boolean; min?: number; max?: number };

/** Checks one numeric text field; returns the message for it, if any. */
export function checkNumber(s: string, rule: Rule): Message | undefined {
	if (isBlank(s)) return rule.required ? { key: 'validate.required' } : undefined;
	const n = parseNumber(s);
	if (n === undefined) return { key: 'validate.number' };
	if (rule.integer && !Number.isInteger(n)) return { key: 'validate.integer' };
	if (rule.min !== undefined && rule.max !== undefined && (n < rule.min || n > rule.max))
		return { key: 'validate.range', params: { min: rule.min, max: rule.max } };
	if (rule.min !== undefined && n < rule.min) return { key: 'validate.min', params: { min: rule.min } };
	if (rule.max !== undefined && n > rule.max) return { key: 'validate.max', params: { max: rule.max } };
	return undefined;
}

const HEX_RE = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
export function checkColor(s: string): Message | undefined {
	return HEX_RE.test(s.trim()) ? undefined : { key: 'validate.color' };
}

const MAX_SIDE = 65_535;
/** `16:9`, `1.91:1`, `4/5`, or one positive number (width / height). */
const ASPECT_RE = /^(\d+(\.\d+)?\s*[:/]\s*\d+(\.\d+)?|\d+(\.\d+)?)$/;

export function validateStep(step: Step): FieldErrors {
	const e: FieldErrors = {};
	const put = (field: string, m: Message | undefined) => {
		if (m) e[field] = m;
	};
	switch (step.kind) {
		case 'resize':
			put('width', checkNumber(step.width, { integer: true, min: 1, max: MAX_SIDE }));
			put('height', checkNumber(step.height, { integer: true, min: 1, max: MAX_SIDE }));
			if (isBlank(step.width) && isBlank(step.height)) e.width = { key: 'validate.resizeNeedsSize' };
			if (step.fit === 'contain' && !step.transparent) put('background', checkColor(step.background));
			break;
		case 'crop':
			put('x', checkNumber(step.x, { required: true, integer: true, min: 0, max: MAX_SIDE }));
			put('y', checkNumber(step.y, { required: true, integer: true, min: 0, max: MAX_SIDE }));
			put('width', checkNumber(step.width, { required: true, integer: true, min: 1, max: MAX_SIDE }));
			put('height', checkNumber(step.height, { required: true, integer: true, min: 1, max: MAX_SIDE }));
			break;
		case 'rotate':
			put('degrees', checkNumber(step.degrees, { required: true, min: -360, max: 360 }));
			if (!step.transparent) put('background', checkColor(step.background));
			break;
		case 'watermark':
			if (step.mode === 'text' && step.text.trim() === '') e.text = { key: 'validate.required' };
			if (step.mode === 'image' && !step.image) e.image = { key: 'validate.chooseImage' };
			put('opacity', checkNumber(step.opacity, { min: 0, max: 1 }));
			put('size', checkNumber(step.size, { min: 0.01, max: 10_000 }));
			put('color', step.mode === 'text' ? checkColor(step.color) : undefined);
			put('margin', checkNumber(step.margin, { integer: true, min: 0, max: 10_000 }));
			if (step.tiled) {
				put('angle', checkNumber(step.angle, { min: -360, max: 360 }));
				put('space', checkNumber(step.space, { integer: true, min: 0, max: 10_000 }));
			}
			break;
		case 'compress':
			if (step.mode === 'quality') put('quality', checkNumber(step.quality, { required: true, integer: true, min: 1, max: 100 }));
			else put('targetKb', checkNumber(step.targetKb, { required: true, min: 1, max: 1_048_576 }));
			break;
		case 'smart_crop':
			if (step.aspect === 'custom' && !ASPECT_RE.test(step.customAspect.trim())) e.aspect = { key: 'validate.aspect' };
			break;
		case 'background_remove':
			if (step.output === 'cutout' && step.background === 'color') put('color', checkColor(step.color));
			break;
		case 'face_blur':
			put('strength', checkNumber(step.strength, { required: true, min: 0, max: 100 }));
			if (step.style === 'box') put('color', checkColor(step.color));
			break;
	}
	return e;
}

const num = (s: string) => (isBlank(s) ? undefined : parseNumber(s));
function defined<T extends object>(o: T): T {
	for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
	return o;
}

/** The API op for a valid step (call validateStep first). */
export function stepToOp(step: Step): Op {
	switch (step.kind) {
		case 'resize':
			return {
				op: 'resize',
				params: defined({
					width: num(step.width),
					height: num(step.height),
					fit: step.fit,
					enlarge: step.enlarge || undefined,
					position: step.fit === 'cover' || step.fit === 'contain' ? step.position : undefined,
					background: step.fit === 'contain' ? (step.transparent ? 'transparent' : step.background.trim()) : undefined,
					kernel: step.enlarge && step.ai ? 'ai' : undefined
				})
			};
		case 'crop':
			return { op: 'crop', params: { x: num(step.x)!, y: num(step.y)!, width: num(step.width)!, height: num(step.height)! } };
		case 'rotate':
			return { op: 'rotate', params: { degrees: num(step.degrees)!, background: step.transparent ? 'transparent' : step.background.trim() } };
		case 'flip':
			return { op: 'flip' };
		case 'flop':
			return { op: 'flop' };
		case 'watermark':
			return {
				op: 'watermark',
				params: defined({
					text: step.mode === 'text' ? step.text : undefined,
					watermark_image: step.mode === 'image' && step.image ? step.image : undefined,
					position: step.tiled ? undefined : step.position,
					opacity: num(step.opacity),
					size: num(step.size),
					color: step.mode === 'text' ? step.color.trim() : undefined,
					margin: step.tiled ? undefined : num(step.margin),
					tiled: step.tiled || undefined,
					angle: step.tiled ? num(step.angle) : undefined,
					space: step.tiled ? num(step.space) : undefined
				})
			};
		case 'compress':
			return step.mode === 'quality'
				? { op: 'compress', params: { quality: num(step.quality)! } }
				: { op: 'compress', params: { target_bytes: Math.round(num(step.targetKb)! * 1024) } };
		case 'smart_crop':
			return {
				op: 'smart_crop',
				params: defined({ aspect: step.aspect === 'custom' ? step.customAspect.trim() : step.aspect, target: step.target === 'auto' ? undefined : step.target })
			};
		case 'background_remove':
			return {
				op: 'background_remove',
				params: defined({
					output: step.output === 'mask' ? ('mask' as const) : undefined,
					background: step.output === 'mask' || step.background === 'transparent' ? undefined : step.background === 'blur' ? 'blur' : step.color.trim()
				})
			};
		case 'face_blur':
			return {
				op: 'face_blur',
				params: defined({ style: step.style, strength: num(step.strength)!, color: step.style === 'box' ? step.color.trim() : undefined })
			};
	}
}

/** The form fields each kind of step shows (where an error can be placed). */
export const STEP_FIELDS: Record<StepKind, readonly string[]> = {
	resize: ['width', 'height', 'fit', 'enlarge', 'position', 'background'],
	crop: ['x', 'y', 'width', 'height'],
	rotate: ['degrees', 'background'],
	flip: [],
	flop: [],
	watermark: ['text', 'image', 'position', 'opacity', 'size', 'color', 'margin', 'angle', 'space'],
	compress: ['quality', 'targetKb'],
	smart_crop: ['aspect', 'target'],
	background_remove: ['output', 'background', 'color'],
	face_blur: ['style', 'strength', 'color']
};

/** API parameter names → the form field that shows the error. */
const FIELD_FOR_PARAM: Record<string, string> = { target_bytes: 'targetKb', watermark_image: 'image' };

/**
 * Where an API error belongs: `ops[2].params.width` → step 2, field width;
 * `quality` / `format` / `dpi` / `keep_metadata` → the output panel.
 */
export function locateParam(param: string | undefined, steps?: readonly Pick<Step, 'kind'>[]): { step?: number; field?: string; output?: string } {
	if (!param) return {};
	const m = /^ops\[(\d+)\](?:\.params)?(?:\.(\w+))?/.exec(param);
	if (m) {
		const field = m[2] ? (FIELD_FOR_PARAM[m[2]] ?? m[2]) : undefined;
		return { step: Number(m[1]), field };
	}
	if (['format', 'quality', 'dpi', 'keep_metadata'].includes(param)) return { output: param };
	// Errors found while running (not while validating) may name a bare parameter:
	// place it when exactly one step has such a field.
	if (steps && /^\w+$/.test(param)) {
		const field = FIELD_FOR_PARAM[param] ?? param;
		const owners = steps.flatMap((s, i) => (STEP_FIELDS[s.kind].includes(field) ? [i] : []));
		if (owners.length === 1) return { step: owners[0], field };
	}
	return {};
}
