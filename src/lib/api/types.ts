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
	/** 'ai': super-resolution (RDN ×2/×3/×4) when enlarging; behaves as lanczos3 when shrinking. */
	kernel?: 'lanczos3' | 'lanczos2' | 'cubic' | 'linear' | 'nearest' | 'ai';
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

export interface BackgroundRemoveParams {
	/** 'cutout' (default): the subject on transparency; 'mask': the matte as a grayscale image. */
	output?: 'cutout' | 'mask';
	/** A colour ('#ffffff', 'white'), 'blur' (the photo's own background, blurred) or an image (cover-fitted). */
	background?: string | ImageRef;
}
export interface BackgroundRemoveResult extends ProcessedImage {
	/** The matting model that ran, e.g. 'isnet-small@1024'. */
	model: string;
}
export interface BlurRegion { x: number; y: number; width: number; height: number }
/** A region to blur; `shape` overrides the call's shape for this region (faces a page kept: 'ellipse'). */
export interface BlurRegionParam extends BlurRegion { shape?: 'ellipse' | 'rect' }
export interface DetectedFace extends BlurRegion {
	score: number;
	/** BlazeFace's six points: rightEye, leftEye, noseTip, mouth, rightEar, leftEar. */
	keypoints: { name: string; x: number; y: number }[];
}
export interface DetectFacesResult {
	/** The oriented image's size: the space of the boxes (and of face_blur's regions). */
	width: number;
	height: number;
	count: number;
	faces: DetectedFace[];
	model: string;
	backend: string;
	ms: number;
}
export interface FaceBlurParams {
	style?: 'gaussian' | 'pixelate' | 'box';
	/** 0–100, default 50. */
	strength?: number;
	/** Added around each detected face, as a fraction of its box (default 0.2). */
	margin?: number;
	/** Default: ellipse for faces, rect for regions. */
	shape?: 'ellipse' | 'rect';
	/** Fill of the 'box' style (default black). */
	color?: string;
	/** false: blur only `regions`. */
	detect?: boolean;
	regions?: BlurRegionParam[];
}
export interface FaceBlurResult extends ProcessedImage {
	/** Faces detected. */
	faces: number;
	/** Every region blurred: faces (with their margin) and the requested regions. */
	boxes: (BlurRegion & { source: 'face' | 'region'; score?: number })[];
}
export interface SmartCropParams {
	/** '1:1', '16:9', '4:5', '1.91:1'… */
	aspect: string;
	/** Default: faces when any are found, else saliency. */
	target?: 'face' | 'saliency';
	/** Scale the crop to this width and/or height. */
	width?: number;
	height?: number;
}
export interface SmartCropResult extends ProcessedImage {
	target_used: 'face' | 'saliency';
	/** The window cut from the (oriented) source, before any scaling. */
	crop: BlurRegion;
	faces?: number;
	faces_in_crop?: number;
}

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
	| { op: 'background_remove'; params?: BackgroundRemoveParams }
	| { op: 'face_blur'; params?: FaceBlurParams }
	| { op: 'smart_crop'; params: SmartCropParams };

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
	smart_crop(req: WithImage<SmartCropParams>): Promise<SmartCropResult>;
	background_remove(req: WithImage<BackgroundRemoveParams>): Promise<BackgroundRemoveResult>;
	face_blur(req: WithImage<FaceBlurParams>): Promise<FaceBlurResult>;
	/** Darkroom addition: the faces face_blur would blur, as data. */
	detect_faces(req: { image?: ImageRef; input?: ImageRef; idempotency_key?: string }): Promise<DetectFacesResult>;
	// Implemented by later releases: answer 501 until then.
	upload(req: unknown): Promise<unknown>;
	get(req: unknown): Promise<unknown>;
	list(req?: unknown): Promise<unknown>;
	delete(req: unknown): Promise<unknown>;
	deliver_url(req: unknown): Promise<unknown>;
	signed_url(req: unknown): Promise<unknown>;
	moderate: import('./analysis').AnalysisApi['moderate'];
	ocr: import('./ocr').OcrApi['ocr'];
	tag: import('./analysis').AnalysisApi['tag'];
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
	/** Darkroom addition: idphoto's five adjustments on an (RGBA) image, alpha kept. */
	adjust(req: unknown): Promise<unknown>;
}

/** One polygon: [[x, y], …] in pixels of the EXIF-oriented image. */
export type RepairPolygon = [number, number][];

/** Seed 002 (ImageRepair). MaskPic wins when both masks are given. */
export interface RepairRequest extends Omit<OutputOptions, 'idempotency_key'> {
	/** The image to repair (`input` accepted too). */
	image: ImageRef;
	/** Mask image, any size (scaled to the image): white (luma ≥ 128, opaque) = remove. Also the seed's URL-safe base64 of the mask's URL. Alias: `mask_pic`. */
	MaskPic?: ImageRef;
	/** One polygon or a list of polygons of [x, y] points, as an array, JSON, or URL-safe base64 of the JSON. Alias: `mask_poly`. */
	MaskPoly?: RepairPolygon | RepairPolygon[] | string;
	mask_pic?: ImageRef;
	mask_poly?: RepairPolygon | RepairPolygon[] | string;
	/** Darkroom addition: grow the mask by this many px (0–64) to cover anti-aliased edges. Default 3. */
	dilate?: number;
	idempotency_key?: string;
}

/** The repaired image (seed 002 answers the image itself) plus what Darkroom adds. */
export interface RepairResponse extends ProcessedImage {
	/** The inpainting engine: 'patchmatch'. */
	model: string;
	/** The parameter the mask came from: 'MaskPic', 'MaskPoly', 'mask_pic' or 'mask_poly'. */
	mask_source: string;
	/** Pixels repainted (the mask after dilation). */
	mask_pixels: number;
	/** Bounding box of the repainted pixels: nothing outside it changes. */
	mask_box: BlurRegion;
	/** Inpainting time. */
	ms: number;
}

export interface RepairApi {
	image_repair(req: RepairRequest): Promise<RepairResponse>;
}

/** One file of the model manifest (an ONNX model or ONNX Runtime's .wasm) and whether it is kept for offline use. */
export interface ModelInfo {
	id: string;
	/** 'model' for networks, 'runtime' for ONNX Runtime's WebAssembly binaries. */
	kind: 'model' | 'runtime';
	file: string;
	bytes: number;
	sha256: string;
	licence: string;
	source_package: string;
	source_path: string;
	/** What uses it, in English. */
	purpose: string;
	/** True when this exact version (hash, size) is in Cache Storage. */
	cached: boolean;
	cached_bytes: number;
	/** Only with list(ids, { verify: true }): the cached bytes hash to sha256. */
	verified?: boolean;
}

export interface ModelsList {
	models: ModelInfo[];
	total_bytes: number;
	cached_bytes: number;
}

/** Total progress over the files being fetched (cached ones are skipped and not counted). */
export interface ModelsProgress {
	loaded: number;
	total: number;
	id: string;
	file: string;
	index: number;
	count: number;
	fileLoaded: number;
	fileTotal: number;
}

export interface ModelsDownloadOptions {
	onProgress?: (p: ModelsProgress) => void;
	signal?: AbortSignal;
	/** Fail when no byte arrives for this long (ms); default: configure({ modelStallMs }), else 30000. */
	stallMs?: number;
	/** Hash the files already cached too, fetching again any that fail. */
	verify?: boolean;
}

export interface ModelsApi {
	list(ids?: string[] | string, opts?: { verify?: boolean }): Promise<ModelsList>;
	download(ids?: string[] | string, opts?: ModelsDownloadOptions): Promise<ModelsList & { downloaded: string[]; downloaded_bytes: number }>;
	delete(ids?: string[] | string): Promise<{ deleted: string[] }>;
}

/** Seed 004 keyword: remove (watermarkNames) or keep (excludeKeywords) lines matching `value`. */
export interface WatermarkKeyword {
	value: string;
	/** similar: edit-distance similarity ≥ 75 % (whole line or part of it); absolute: exactly equal; default (or missing/unknown): similar. */
	rule?: 'similar' | 'absolute' | 'default';
}

/** Seed 004 request (watermark_removal.remove). JSON-typed parameters may also be JSON strings. */
export interface WatermarkRemovalRequest {
	/** The image, in the seed's precedence image_file > image_url > image_base64; Darkroom's `image` (any ImageRef) last. */
	image_file?: ImageRef;
	imageFile?: ImageRef;
	image_url?: string;
	image_base64?: string;
	image?: ImageRef;
	/** Explicit rectangles: no OCR; watermarkNames, excludeKeywords and offset are ignored. */
	rectangles?: { x: number; y: number; w: number; h: number }[] | string;
	/** Remove only the lines matching these (wins over excludeKeywords). Alias: markName. */
	watermarkNames?: (WatermarkKeyword | string)[] | WatermarkKeyword | string;
	/** Remove every line except those matching these. */
	excludeKeywords?: (WatermarkKeyword | string)[] | WatermarkKeyword | string;
	/** Move / resize each detected line box: { "+x": 5, "-w": 10 } or { x: -5, w: 10 }. Outside the image → ignored, processStatus 52005. */
	offset?: Record<string, number | string> | string;
	/** true = asynchronous (seed 004's naming): answer 52000 at once, POST the result to callback. Default false. */
	sync?: boolean;
	/** http(s) URL receiving the result as a JSON POST when sync is true (retried once unless it answers 200). */
	callback?: string;
	/** Only find the rectangles (processStatus 52006); no url unless show. Default false. */
	ocrOnly?: boolean;
	/** Draw the processed rectangles in green on the result. Default false. */
	show?: boolean;
}

export interface WatermarkLocation {
	x: number;
	y: number;
	w: number;
	h: number;
	/** Lines merged into this rectangle (0 for a rectangle the caller gave). */
	lineCount: number;
	/** The merged lines' text, space-separated. */
	word: string;
}

/** Seed 004 response. Usage counters of the cloud service (remainingUsage …) do not apply and are absent. */
export interface WatermarkRemovalResponse {
	/** 200, 304 (repeat answered from the cache), or on a rejection's `response` 400 / 413 / 500. */
	httpCode: number;
	httpMsg: string;
	returnType: 'json';
	msgInnerReferer?: string;
	data: {
		/** 0 processed · 52000 async accepted · 52001 bad request · 52002 no text found · 52003 timeout · 52004 internal error · 52005 offset ignored · 52006 ocrOnly */
		processStatus: number;
		processMsg: string;
		processCount?: number;
		processLocation?: WatermarkLocation[];
		/** The result image (a blob: URL of this page; darkroom.fetchBytes reads it). */
		url?: string;
		mime?: string;
		width?: number;
		height?: number;
		/** Asynchronous calls: the job's id, repeated in the callback body. */
		jobId?: string;
		/** Callback body only: the result image, base64. */
		image_base64?: string;
	};
	encryptedInfo?: { imageUniqueIdentification: string };
}

export interface WatermarkRemovalApi {
	remove(req: WatermarkRemovalRequest): Promise<WatermarkRemovalResponse>;
}

export interface Darkroom {
	version: string;
	image: ImageApi;
	idphoto: IdPhotoApi;
	/** The model files: offline state, download ahead of need, delete. */
	models: ModelsApi;
	/** Seed 002: logo / watermark removal by mask image or polygons. */
	repair: RepairApi;
	cos: { put_object(req: unknown): Promise<unknown>; image_process(req: unknown): Promise<unknown> };
	watermark_removal: WatermarkRemovalApi;
	/** Resource limits checked before decoding; change with configure(). */
	limits(): { maxPixels: number; maxBytes: number; maxDimension: number };
	configure(opts: Partial<{ maxPixels: number; maxBytes: number; maxDimension: number; workers: number; modelStallMs: number }>): void;
	/** Low-level: the bytes behind an image_url this page made. */
	fetchBytes(url: string): Promise<Uint8Array>;
	/** Frees a result's memory and revokes its image_url; true when it was one of ours. */
	release(url: string): boolean;
	/** Every call, and whether this release implements it (false: it answers 501). */
	capabilities(): { method: string; available: boolean; needs?: string }[];
}

export type { DarkroomErrorJSON };
