import type { Limits } from '../../codecs/types';
import type { EncodedImage } from '../../worker/protocol';
import type { Location, Offset, Rect } from './geometry';
import type { Selection } from './keywords';
import type { ProcessStatus } from './status';

/** What the page sends the worker (parameters already validated by params.ts). */
export interface WmRemoveJob {
	bytes: Uint8Array;
	limits: Limits;
	rectangles?: Rect[];
	selection: Selection;
	offset?: Offset;
	ocrOnly: boolean;
	show: boolean;
}

export interface WmRemoveResult {
	/** 0, 52002 (nothing to remove), 52005 (offset ignored) or 52006 (ocrOnly). */
	status: ProcessStatus;
	locations: Location[];
	/** The processed image; absent for 52002 and for ocrOnly without show. */
	image?: EncodedImage;
	width: number;
	height: number;
	/** Text lines OCR found (before watermarkNames / excludeKeywords); 0 when rectangles were given. */
	linesFound: number;
	ms: { total: number; ocr: number; inpaint: number };
}
