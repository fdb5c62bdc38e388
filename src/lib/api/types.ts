import type { ImageMetadata, OutputFormat } from '../codecs/types';
import type { DarkroomErrorJSON } from './errors';

/** `{ url }`, `{ base64 }` (bare or data URL), `{ id }` (library asset), bytes, or a string holding any of these. */
export type ImageRef =
	| { url: string }
	| { base64: string }
	| { id: string }
	| Blob
	| ArrayBuffer
	| Uint8Array
	| string;

/** Seed 000 answer for every transform. */
export interface ProcessedImage {
	image_url: string;
	mime: string;
	width: number;
	height: number;
	bytes: number;
}

export type Fit = 'inside' | 'outside' | 'cover' | 'contain' | 'fill';
/** cover/contain anchor: centre, the four edges, the four corners (CSS-ish or compass names). */
export type Gravity =
	| 'center' | 'top' | 'bottom' | 'left' | 'right'
	| 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right'
	| 'north' | 'south' | 'east' | 'west' | 'northeast' | 'northwest' | 'southeast' | 'southwest';
export type WatermarkPosition = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right' | 'center';

/** Output options shared by every transform. */
export interface OutputOptions {
	format?: OutputFormat;
	quality?: number;
	/** Keep EXIF/ICC from the source (default false: stripped). */
	keep_metadata?: boolean;
	/** Record this density in the output. */
	dpi?: number;
	/** PNG: lossless optimisation with oxipng. */
	optimize?: boolean;
	/** WebP: lossless. */
	lossless?: boolean;
	idempotency_key?: string;
}

export interface ResizeParams {
	width?: number;
	height?: number;
	fit?: Fit;
	enlarge?: boolean;
	position?: Gravity;
	/** contain letterbox colour: '#rrggbb', '#rrggbbaa', 'transparent' */
	background?: string;
	kernel?: 'lanczos3' | 'lanczos2' | 'cubic' | 'linear' | 'nearest';
}
export interface CropParams { x: number; y: number; width: number; height: number }
export interface RotateParams { degrees: number; auto_orient?: boolean; background?: string }
export interface WatermarkParams {
	text?: string;
	watermark_image?: ImageRef;
	position?: WatermarkPosition | 'top_left' | 'top_right' | 'bottom_left' | 'bottom_right';
	opacity?: number;
	/** Text: font size in px. Image: width as a fraction of the image width (0..1] or px (>1). */
	size?: number;
	color?: string;
	margin?: number;
	/** Tiled over the whole image, seed 001 style. */
	tiled?: boolean;
	angle?: number;
	space?: number;
}
export interface CompressParams { quality?: number; target_bytes?: number; allow_downscale?: boolean }

/** One step of `image.process`. */
export type Op =
	| { op: 'resize'; params: ResizeParams }
	| { op: 'crop'; params: CropParams }
	| { op: 'rotate'; params: RotateParams }
	| { op: 'flip'; params?: Record<string, never> }
	| { op: 'flop'; params?: Record<string, never> }
	| { op: 'auto_orient'; params?: Record<string, never> }
	| { op: 'watermark'; params: WatermarkParams }
	| { op: 'compress'; params: CompressParams }
	| { op: 'convert'; params: { format: OutputFormat; quality?: number } }
	| { op: 'background_remove' | 'face_blur' | 'smart_crop'; params?: Record<string, unknown> };

export interface ProcessRequest extends OutputOptions {
	/** `image` (seed example) or `input` (seed parameter table): both accepted. */
	image?: ImageRef;
	input?: ImageRef;
	ops?: Op[];
	/** Shorthand from seed 000's parameter table: resize to width/height. */
	width?: number;
	height?: number;
}

export type WithImage<T> = T & OutputOptions & { image: ImageRef };

export interface ImageApi {
	process(req: ProcessRequest): Promise<ProcessedImage>;
	metadata(req: { image?: ImageRef; input?: ImageRef }): Promise<ImageMetadata>;
	resize(req: WithImage<ResizeParams>): Promise<ProcessedImage>;
	crop(req: WithImage<CropParams>): Promise<ProcessedImage>;
	rotate(req: WithImage<RotateParams>): Promise<ProcessedImage>;
	flip(req: WithImage<object>): Promise<ProcessedImage>;
	flop(req: WithImage<object>): Promise<ProcessedImage>;
	compress(req: WithImage<CompressParams>): Promise<ProcessedImage>;
	convert(req: WithImage<{ format: OutputFormat }>): Promise<ProcessedImage>;
	watermark(req: WithImage<WatermarkParams>): Promise<ProcessedImage>;
	// Implemented by later releases: answer 501 until then.
	upload(req: unknown): Promise<unknown>;
	get(req: unknown): Promise<unknown>;
	list(req?: unknown): Promise<unknown>;
	delete(req: unknown): Promise<unknown>;
	smart_crop(req: unknown): Promise<unknown>;
	background_remove(req: unknown): Promise<unknown>;
	face_blur(req: unknown): Promise<unknown>;
	deliver_url(req: unknown): Promise<unknown>;
	signed_url(req: unknown): Promise<unknown>;
	moderate(req: unknown): Promise<unknown>;
	ocr(req: unknown): Promise<unknown>;
	tag(req: unknown): Promise<unknown>;
	transformation: { create(req: unknown): Promise<unknown>; list(req?: unknown): Promise<unknown> };
	batch: { submit(req: unknown): Promise<unknown>; status(req: unknown): Promise<unknown>; cancel(req: unknown): Promise<unknown> };
}

/** Seed 001 (HivisionIDPhotos) request shapes: input_image or input_image_base64. */
export interface HivisionInput {
	input_image?: ImageRef;
	input_image_base64?: string;
}
export interface SetKbRequest extends HivisionInput { kb: number; dpi?: number }
export interface HivisionImageResponse { status: boolean | string; image_base64: string }

export interface IdPhotoApi {
	set_kb(req: SetKbRequest): Promise<HivisionImageResponse>;
	watermark(req: HivisionInput & { text: string; size?: number; opacity?: number; angle?: number; color?: string; space?: number; dpi?: number }): Promise<HivisionImageResponse>;
	idphoto(req: unknown): Promise<unknown>;
	add_background(req: unknown): Promise<unknown>;
	generate_layout_photos(req: unknown): Promise<unknown>;
	human_matting(req: unknown): Promise<unknown>;
	idphoto_crop(req: unknown): Promise<unknown>;
}

export interface Darkroom {
	version: string;
	image: ImageApi;
	idphoto: IdPhotoApi;
	repair: { image_repair(req: unknown): Promise<unknown> };
	cos: { put_object(req: unknown): Promise<unknown>; image_process(req: unknown): Promise<unknown> };
	watermark_removal: { remove(req: unknown): Promise<unknown> };
	/** Resource limits checked before decoding; change with configure(). */
	limits(): { maxPixels: number; maxBytes: number; maxDimension: number };
	configure(opts: Partial<{ maxPixels: number; maxBytes: number; maxDimension: number; workers: number }>): void;
	/** Low-level: the bytes behind an image_url this page made. */
	fetchBytes(url: string): Promise<Uint8Array>;
	/** Frees a result's memory and revokes its image_url; true when it was one of ours. */
	release(url: string): boolean;
	/** Every call, and whether this release implements it (false: it answers 501). */
	capabilities(): { method: string; available: boolean; needs?: string }[];
}

export type { DarkroomErrorJSON };
