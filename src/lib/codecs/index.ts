/** Public surface of the codecs: what the pipeline, the API and the worker import. */
export * from './types';
export { probe, checkLimits, formatName } from './probe';
export { sniff, SUPPORTED_FORMATS_TEXT } from './sniff';
export { checkIntegrity } from './integrity';
export { decode, decodePixels, type DecodeOptions } from './decode';
export { encode, validateQuality, validateDpi, flattenOnWhite, DEFAULT_QUALITY, AVIF_SPEED } from './encode';
export { readExif, readOrientation, extractExifBlock, extractIcc, exifDateToIso } from './exif';
export { estimateJpegQuality } from './jpeg-quality';
export { encodeToTargetBytes, downscaleArea, type TargetSizeOptions, type TargetSizeResult } from './target-size';
export { setKb, padJpegToSize, type SetKbOptions } from './set-kb';
export { readMetadata, readDpi, averageColour } from './metadata';
export { ensureCodec, type CodecEntry } from './wasm-init';
export { applyOrientation, orientedSize } from '../core/orient';
