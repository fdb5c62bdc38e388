/**
 * One stored asset, as kept in IndexedDB. Plain data only (no handles, no URLs), so a
 * service worker can read it as well as a page: delivery URLs (`/cdn/<id>/…`) find the
 * record by id and open `file` under OPFS's `LIBRARY_DIR`.
 */
export interface AssetRecord {
	/** 26 characters, Crockford base32, 128 random bits. */
	id: string;
	/** Object key, unique in the library: `photos/2024/cat.jpg`. */
	key: string;
	/** Last part of the key. */
	name: string;
	/** Everything before the last `/` of the key; '' at the top level. */
	folder: string;
	mime: string;
	/** jpeg, png, webp, avif, gif, bmp… (from the bytes, not the name). */
	format: string;
	/** After EXIF orientation, as a viewer shows it. */
	width: number;
	height: number;
	bytes: number;
	/** Lower-case hex SHA-256 of the original's bytes. */
	etag: string;
	tags: string[];
	/** ISO 8601 (ms precision). Ordering of `image.list` with `id`. */
	created_at: string;
	updated_at: string;
	/** OPFS path of the original, relative to `LIBRARY_DIR`: `<id>/o-<nonce>`. */
	file: string;
	thumbnail: ThumbnailInfo | null;
}

export interface ThumbnailInfo {
	/** OPFS path relative to `LIBRARY_DIR`. */
	file: string;
	mime: string;
	width: number;
	height: number;
	bytes: number;
}

/** The OPFS folder that holds every asset's files, one sub-folder per id. */
export const LIBRARY_DIR = 'darkroom-library';
/** The IndexedDB database and store of the records. */
export const DB_NAME = 'darkroom-library';
export const DB_VERSION = 1;
export const ASSETS = 'assets';
/** Longest side of a thumbnail in pixels. */
export const THUMB_SIZE = 256;
