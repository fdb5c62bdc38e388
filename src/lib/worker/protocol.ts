import type { DarkroomErrorJSON } from '../api/errors';
import type { Limits } from '../codecs/types';
import type { ImageMetadata } from '../codecs/types';
import type { PipelineJob, PipelineResult } from '../pipeline/executor';

/** Errors cross the worker boundary as plain data and are rebuilt as DarkroomError on the page. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: DarkroomErrorJSON };

/** What `process` sends: the executor's job, as is. */
export type ProcessJob = PipelineJob;

export interface SetKbJob {
	bytes: Uint8Array;
	kb: number;
	dpi: number;
	limits: Limits;
}

export interface TiledTextJob {
	bytes: Uint8Array;
	text: string;
	size: number;
	opacity: number;
	angle: number;
	color: string;
	space: number;
	dpi: number;
	limits: Limits;
}

export interface EncodedImage {
	bytes: Uint8Array;
	mime: string;
	width: number;
	height: number;
}

export interface FacesResult {
	width: number;
	height: number;
	faces: import('../features/faces/types').Face[];
	backend: string;
	ms: number;
}

export type IdPhotoKind = 'idphoto' | 'idphoto_crop' | 'add_background' | 'generate_layout_photos' | 'human_matting' | 'adjust';

export interface IdPhotoJob {
	kind: IdPhotoKind;
	bytes: Uint8Array;
	/** Validated parameters (src/lib/pipeline/idphoto-params.ts) for this kind. */
	params: Record<string, unknown>;
	limits: Limits;
}

/** Named output images (image_base64, image_base64_standard, image_base64_hd) and extra response fields. */
export interface IdPhotoOutput {
	images: Record<string, EncodedImage>;
	fields: Record<string, unknown>;
}

/** What a pool worker exposes through comlink. */
export interface WorkerApi {
	/** Resolves once the worker holds its liveness lock. */
	init(lockName: string): Promise<void>;
	process(job: ProcessJob): Promise<Reply<PipelineResult>>;
	metadata(bytes: Uint8Array, limits: Limits): Promise<Reply<ImageMetadata>>;
	setKb(job: SetKbJob): Promise<Reply<EncodedImage>>;
	tiledText(job: TiledTextJob): Promise<Reply<EncodedImage>>;
	idphoto(job: IdPhotoJob): Promise<Reply<IdPhotoOutput>>;
	/** Faces in source (oriented) pixels, with keypoints. */
	detectFaces(bytes: Uint8Array, limits: Limits): Promise<Reply<FacesResult>>;
	/** image.tag: objects, faces, text present, colours, photo or drawing (src/lib/features/tag). */
	tag(job: import('../features/tag/types').TagJob): Promise<Reply<import('../features/tag/types').TagResult>>;
	/** image.moderate: nsfw classifier scores mapped to moderation categories (src/lib/features/moderate). */
	moderate(job: import('../features/moderate/types').ModerateJob): Promise<Reply<import('../features/moderate/types').ModerateResult>>;
	/** watermark_removal.remove: OCR, keyword filter, offset, inpaint (src/lib/features/wmremove). */
	wmremove(job: import('../features/wmremove/types').WmRemoveJob): Promise<Reply<import('../features/wmremove/types').WmRemoveResult>>;
	/** repair.image_repair: MaskPic / MaskPoly mask, grown by dilate, inpainted, encoded (src/lib/features/repair). */
	repair(job: import('../features/repair/types').RepairJob): Promise<Reply<import('../features/repair/types').RepairResult>>;
	/** models.add_inpainter: test-run the user's network stored in OPFS under sha256 (src/lib/features/inpaint-net). */
	inpainterProbe(job: import('../features/inpaint-net/probe-job').ProbeJob): Promise<Reply<import('../features/inpaint-net/probe-job').ProbeReply>>;
	/** image.ocr: PP-OCRv4 text lines with their boxes in oriented pixels (src/lib/features/ocr). */
	ocr(job: import('../api/ocr').OcrJob): Promise<Reply<import('../api/ocr').OcrJobResult>>;
	/** Test hook: make the worker die the way a crash or out-of-memory would. */
	crash(kind: 'close' | 'throw'): void;
}
