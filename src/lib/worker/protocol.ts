import type { DarkroomErrorJSON } from '../api/errors';
import type { Limits } from '../codecs/types';
import type { ImageMetadata } from '../codecs/types';
import type { NormalizedOp } from '../pipeline/ops';
import type { OutputPlan } from '../pipeline/output';
import type { PipelineResult } from '../pipeline/executor';

/** Errors cross the worker boundary as plain data and are rebuilt as DarkroomError on the page. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: DarkroomErrorJSON };

export interface ProcessJob {
	bytes: Uint8Array;
	ops: NormalizedOp[];
	output: OutputPlan;
	limits: Limits;
	nameOps?: boolean;
	assets?: Record<string, Uint8Array>;
}

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

/** What a pool worker exposes through comlink. */
export interface WorkerApi {
	/** Resolves once the worker holds its liveness lock. */
	init(lockName: string): Promise<void>;
	process(job: ProcessJob): Promise<Reply<PipelineResult>>;
	metadata(bytes: Uint8Array, limits: Limits): Promise<Reply<ImageMetadata>>;
	setKb(job: SetKbJob): Promise<Reply<EncodedImage>>;
	tiledText(job: TiledTextJob): Promise<Reply<EncodedImage>>;
	/** Faces in source (oriented) pixels, with keypoints. */
	detectFaces(bytes: Uint8Array, limits: Limits): Promise<Reply<FacesResult>>;
	/** Test hook: make the worker die the way a crash or out-of-memory would. */
	crash(kind: 'close' | 'throw'): void;
}
