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
	/** A named transformation ("thumb" or "t_thumb"), a transform string ("w_400,f_webp") or object: runs before `ops`. */
	transformation?: string | import('../pipeline/transform').ImageTransform;
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
	/** Seed 000: stores an image in the on-device library (IndexedDB + OPFS). */
	upload(req: UploadRequest): Promise<ImageAsset>;
	/** By `{ id }`, `{ key }` or the id as a string; 404 when missing. */
	get(req: { id: string } | { key: string } | string): Promise<ImageAsset>;
	list(req?: ListRequest): Promise<ListResponse>;
	delete(req: { id: string; idempotency_key?: string } | { key: string; idempotency_key?: string } | string): Promise<{ ok: true; id: string }>;
	/** Seed 000: a URL on this origin that the service worker renders from the library (works offline). */
	deliver_url: import('./delivery').DeliveryApi['deliver_url'];
	/** Seed 000: the same URL, HMAC-signed with this device's key; 403 once expired or altered. */
	signed_url: import('./delivery').DeliveryApi['signed_url'];
	moderate: import('./analysis').AnalysisApi['moderate'];
	ocr: import('./ocr').OcrApi['ocr'];
	tag: import('./analysis').AnalysisApi['tag'];
	/** Seed 000 named transformations (create, list) plus get, update, delete and imgproxy_url. */
	transformation: import('./transformations').TransformationApi;
	/** Seed 000 batch jobs (submit, status, cancel) plus list, delete and download (ZIP). */
	batch: import('./batch').BatchApi;
}

/** Seed 000 `image.upload`; `key` / `folder` are seed 003's object keys. */
export interface UploadRequest {
	/** The image (seed name): a File/Blob, bytes, `{ url }`, `{ base64 }`, `{ id }`, a data URL. `image` is accepted too. */
	file?: ImageRef;
	image?: ImageRef;
	/** Name to store and show; default: the File's or URL's name. */
	filename?: string;
	/** Folder of the derived key (`photos/2024`); the key is `folder/filename`, made unique (`cat-2.jpg`) unless overwrite. */
	folder?: string;
	/** The whole object key (`photos/2024/cat.jpg`), unique; an existing key is a 422 unless overwrite. Not with folder/filename. */
	key?: string;
	/** An array or a comma-separated string; at most 50 of at most 64 characters. */
	tags?: string[] | string;
	/** Replace the asset at this key (its id and created_at are kept). Default false. */
	overwrite?: boolean;
	idempotency_key?: string;
}

/** Seed 000 `ImageAsset { id, url, mime, width?, height?, bytes }` plus the library's fields. */
export interface ImageAsset {
	id: string;
	/** A URL of the original this page can show or fetch (a blob: URL of the stored file). */
	url: string;
	/** The original's delivery URL (`/cdn/<id>`), answered by the service worker; see image.deliver_url for sizes. */
	delivery_url: string;
	mime: string;
	width: number;
	height: number;
	bytes: number;
	key: string;
	name: string;
	/** '' at the top level. */
	folder: string;
	format: string;
	/** Hex SHA-256 of the original's bytes. */
	etag: string;
	tags: string[];
	created_at: string;
	updated_at: string;
	/** A WebP of at most 256 px a side (blob: URL); null when none could be made. */
	thumbnail_url: string | null;
	thumbnail: { mime: string; width: number; height: number; bytes: number } | null;
	/** Upload into a folder with saved rules (cos.put_folder_rules): what they wrote, or why they failed. */
	folder_rules?: import('./cos').FolderRulesOutcome;
}

/** Seed 000 `image.list`: `cursor` / `limit` (1–500, default 50); the rest are Darkroom's filters. */
export interface ListRequest {
	cursor?: string;
	limit?: number;
	/** Only assets directly in this folder ('' = top level); with recursive, in its sub-folders too. */
	folder?: string;
	recursive?: boolean;
	/** Keys starting with this. */
	prefix?: string;
	/** Assets carrying this tag. */
	tag?: string;
	/** Case-insensitive match in key (folder and name) or tags. */
	search?: string;
	/** 'desc' (default): newest first; 'asc': oldest first. */
	order?: 'desc' | 'asc';
}

export interface ListResponse {
	items: ImageAsset[];
	/** Present when there are more: pass it as cursor (with the same filters and order). */
	next_cursor?: string;
}

/** `library.usage()`: counts, bytes, OPFS files, the site's quota and the library's own limit. */
export type LibraryUsage = import('../library/store').LibraryUsage;

export interface LibraryImportResult {
	imported: string[];
	unchanged: string[];
	conflicts: { id: string; key: string; reason: 'id_exists' | 'key_taken' | 'damaged'; message: string }[];
}

/** Darkroom's library calls beyond the seed. */
export interface LibraryApi {
	/** Assets, their bytes, the files in OPFS, and the browser's estimate of quota and use. */
	usage(): Promise<LibraryUsage>;
	/** A limit of the library's own, enforced like a storage quota (null: none). */
	configure(req: { max_bytes: number | null }): Promise<{ max_bytes: number | null }>;
	/** A ZIP of the originals (`originals/<key>`), thumbnails and `manifest.json`; all assets, or `ids`. */
	export(req?: { ids?: string[] }): Promise<Blob>;
	/** Restores an export: ids, keys, dates, tags and bytes as they were. Conflicts are reported, not overwritten, unless overwrite. */
	import(req: Blob | ArrayBuffer | Uint8Array | { file: Blob | ArrayBuffer | Uint8Array; overwrite?: boolean }): Promise<LibraryImportResult>;
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
	/** Darkroom addition: the fill. 'auto' (default) = the user's network when one is installed and enabled, else 'patchmatch'; 'network' = the installed network (422 when none). */
	engine?: InpaintEngineChoice;
	idempotency_key?: string;
}

/** The repaired image (seed 002 answers the image itself) plus what Darkroom adds. */
export interface RepairResponse extends ProcessedImage {
	/** What filled the mask: 'patchmatch', or the user's network as 'migan:<name>' / 'lama:<name>'. */
	model: string;
	/** Which engine ran. */
	engine: 'patchmatch' | 'network';
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

/** Which fill repairs use (repair.image_repair, watermark_removal.remove). */
export type InpaintEngineChoice = 'auto' | 'patchmatch' | 'network';

/** models.add_inpainter: a local .onnx file, or a URL the user typed with the SHA-256 it must hash to. */
export interface AddInpainterRequest {
	file?: Blob | ArrayBuffer | Uint8Array;
	url?: string;
	/** 64 hex digits. Required with url; checked when given with file. */
	sha256?: string;
	/** Shown name (default: the file's name or the URL's last segment). */
	name?: string;
	/** Use it for 'auto' repairs (default true). */
	enabled?: boolean;
}

/** The user's inpainting network, as models.inpainter() reports it. */
export interface InpainterStatus {
	installed: boolean;
	/** Used by repairs with engine 'auto'. */
	enabled: boolean;
	name?: string;
	/** 'migan' (MI-GAN pipeline v2, any size, uint8) or 'lama' (512², float32). */
	kind?: 'migan' | 'lama';
	bytes?: number;
	sha256?: string;
	/** ISO date it was added. */
	added?: string;
	/** 'file', or the URL it was fetched from. */
	source?: string;
	/** LaMa: the output range found by the test run (1 = 0..1, 255 = 0..255); 255 for MI-GAN. */
	output_scale?: 1 | 255;
	/** add_inpainter only: how long loading and the test run took (ms). */
	test_ms?: number;
}

export interface ModelsApi {
	list(ids?: string[] | string, opts?: { verify?: boolean }): Promise<ModelsList>;
	download(ids?: string[] | string, opts?: ModelsDownloadOptions): Promise<ModelsList & { downloaded: string[]; downloaded_bytes: number }>;
	delete(ids?: string[] | string): Promise<{ deleted: string[] }>;
	/** Adds (replacing any earlier one) the user's ONNX inpainting network, after checking its hash and test-running it. */
	add_inpainter(req: AddInpainterRequest): Promise<InpainterStatus>;
	/** The installed network, or { installed: false }. */
	inpainter(): Promise<InpainterStatus>;
	/** Switches its use by 'auto' repairs on or off. */
	use_inpainter(enabled: boolean): Promise<InpainterStatus>;
	/** Deletes it from this browser's storage. */
	remove_inpainter(): Promise<{ removed: boolean }>;
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
	/** Darkroom addition: the fill, as repair.image_repair's engine ('auto' default, 'patchmatch', 'network'). */
	engine?: InpaintEngineChoice;
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
	/** Seed 003: processing rules (Pic-Operations) on stored objects. */
	cos: import('./cos').CosApi;
	watermark_removal: WatermarkRemovalApi;
	/** The on-device asset library: usage, limit, export and import (upload/get/list/delete are in `image`). */
	library: LibraryApi;
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
