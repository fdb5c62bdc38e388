import type { RGBAImage } from '../core/image';

/** Raster formats Darkroom reads. */
export type InputFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'bmp';
/** Formats Darkroom writes (seed 000's `format`). */
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['jpeg', 'png', 'webp', 'avif'];
/** Encoder quality when none is asked for (PNG is lossless). */
export const DEFAULT_QUALITY: Record<Exclude<OutputFormat, 'png'>, number> = { jpeg: 82, webp: 82, avif: 60 };

export const MIME: Record<InputFormat, string> = {
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	avif: 'image/avif',
	gif: 'image/gif',
	bmp: 'image/bmp'
};

/** What the header says, read before any full decode. */
export interface HeaderInfo {
	format: InputFormat;
	mime: string;
	width: number; // as stored, before EXIF orientation
	height: number;
	frames: number; // 1 for stills; GIF / animated WebP frame count
	hasAlpha: boolean;
	bitDepth: number; // bits per channel as stored (8, 16, ...; 1/2/4 for palette PNG)
	/** JPEG only */
	progressive?: boolean;
	/** JPEG only: 1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK */
	components?: number;
}

/** Configurable resource limits, checked from the header before decoding. */
export interface Limits {
	maxPixels: number; // default 100_000_000
	maxBytes: number; // default 64 MiB
	maxDimension: number; // default 65_535 per side
}

export const DEFAULT_LIMITS: Limits = { maxPixels: 100_000_000, maxBytes: 64 * 1024 * 1024, maxDimension: 65_535 };

export interface DecodedImage {
	/** Pixels with EXIF orientation already applied (when autoOrient, the default). */
	image: RGBAImage;
	info: HeaderInfo;
	/** EXIF orientation tag as found (1..8; 1 when absent). */
	orientation: number;
	/** Whether `image` had the orientation applied. */
	oriented: boolean;
	/** The raw EXIF block (TIFF header onwards), for keep_metadata. */
	exif?: Uint8Array;
	/** Raw ICC profile, if the file had one. */
	icc?: Uint8Array;
}

export interface EncodeOptions {
	format: OutputFormat;
	/** 0..100; ignored for png. Defaults: jpeg 82, webp 82, avif 60. */
	quality?: number;
	/** WebP lossless; PNG is always lossless. */
	lossless?: boolean;
	/** PNG: run oxipng (slower, smaller). */
	optimize?: boolean;
	/** Pixels per inch to record (JFIF density, PNG pHYs, EXIF X/YResolution). */
	dpi?: number;
	/** Metadata to carry into the output; omitted = stripped. */
	metadata?: { exif?: Uint8Array; icc?: Uint8Array };
}

/** `image.metadata` answer: seed 000's { width, height, mime, exif? } plus seed 003's ImageInfo facts. */
export interface ImageMetadata {
	width: number; // after orientation is applied (what a viewer shows)
	height: number;
	mime: string;
	format: InputFormat;
	bytes: number;
	exif?: Record<string, unknown>;
	orientation: number;
	frames: number;
	has_alpha: boolean;
	bit_depth: number;
	progressive?: boolean;
	/** Average colour, seed 003 style: "0xRRGGBB". */
	Ave: string;
	/** Estimated JPEG quality 1..100 from the quantisation tables (JPEG only). */
	jpeg_quality?: number;
	/** Density if the file records one. */
	dpi?: number;
	/** Stored (pre-orientation) size. */
	stored_width: number;
	stored_height: number;
}
