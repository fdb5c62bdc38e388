import type { ProcessedImage } from './types';

/**
 * Results are handed out as blob: URLs the page can fetch or show. The bytes are
 * kept by URL so `fetchBytes` and later calls that take an image_url as input do
 * not need a round trip.
 */
export class ResultStore {
	private bytesByUrl = new Map<string, Uint8Array>();

	toProcessed(r: { bytes: Uint8Array; mime: string; width: number; height: number }): ProcessedImage {
		const url = URL.createObjectURL(new Blob([r.bytes as Uint8Array<ArrayBuffer>], { type: r.mime }));
		this.bytesByUrl.set(url, r.bytes);
		return { image_url: url, mime: r.mime, width: r.width, height: r.height, bytes: r.bytes.byteLength };
	}

	get(url: string): Uint8Array | undefined {
		return this.bytesByUrl.get(url);
	}

	release(url: string): boolean {
		if (!this.bytesByUrl.delete(url)) return false;
		URL.revokeObjectURL(url);
		return true;
	}
}
