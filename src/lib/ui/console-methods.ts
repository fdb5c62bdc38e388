/**
 * Every method of window.darkroom, with a seed-shaped example request. `"$file"` in a
 * request stands for the file chosen on the console page.
 */
export interface ConsoleMethod {
	/** dotted path under window.darkroom */
	path: string;
	/** the example request; undefined = called without an argument */
	example?: unknown;
	/** answers 501 until a later release implements it */
	planned?: boolean;
}

const FILE = '$file';
const OPS = [
	{ op: 'resize', params: { width: 800 } },
	{ op: 'compress', params: { quality: 80 } }
];

export const CONSOLE_METHODS: readonly ConsoleMethod[] = [
	{ path: 'image.process', example: { image: FILE, ops: OPS, format: 'webp' } },
	{ path: 'image.metadata', example: { image: FILE } },
	{ path: 'image.resize', example: { image: FILE, width: 800, fit: 'cover' } },
	{ path: 'image.crop', example: { image: FILE, x: 0, y: 0, width: 400, height: 300 } },
	{ path: 'image.rotate', example: { image: FILE, degrees: 90 } },
	{ path: 'image.flip', example: { image: FILE } },
	{ path: 'image.flop', example: { image: FILE } },
	{ path: 'image.compress', example: { image: FILE, quality: 70 } },
	{ path: 'image.convert', example: { image: FILE, format: 'webp' } },
	{ path: 'image.watermark', example: { image: FILE, text: '© Darkroom', position: 'bottom-right', opacity: 0.6 } },
	{ path: 'image.upload', example: { file: FILE, filename: 'cat.jpg', folder: 'photos/2024', tags: ['cat'] } },
	{ path: 'image.get', example: { id: 'ASSET_ID' } },
	{ path: 'image.list', example: { limit: 20, folder: 'photos/2024' } },
	{ path: 'image.delete', example: { id: 'ASSET_ID' } },
	{ path: 'image.smart_crop', example: { image: FILE, aspect: '1:1', target: 'face' } },
	{ path: 'image.background_remove', example: { image: FILE, format: 'png' } },
	{ path: 'image.face_blur', example: { image: FILE, style: 'gaussian', strength: 50 } },
	{ path: 'image.detect_faces', example: { image: FILE } },
	{ path: 'image.deliver_url', example: { image_id: 'ASSET_ID', transform: { width: 400, format: 'webp' } } },
	{ path: 'image.signed_url', example: { image_id: 'ASSET_ID', expires_in_s: 3600, transform: 'w_400,f_webp' } },
	{ path: 'image.moderate', example: { image: FILE, threshold: 0.9 } },
	{ path: 'image.ocr', example: { image: FILE, min_confidence: 0.5 } },
	{ path: 'image.tag', example: { image: FILE, max_tags: 10, min_confidence: 0.4 } },
	{ path: 'image.transformation.create', example: { name: 'thumb', transform: 'w_200,h_200,c_cover,f_webp,q_80' } },
	{ path: 'image.transformation.list', example: { limit: 20 } },
	{ path: 'image.transformation.get', example: { name: 'thumb' } },
	{ path: 'image.transformation.update', example: { name: 'thumb', transform: { width: 240, height: 240, fit: 'cover', format: 'webp' } } },
	{ path: 'image.transformation.delete', example: { name: 'thumb' } },
	{
		path: 'image.transformation.imgproxy_url',
		example: { name: 'thumb', source: 's3://my-bucket/photos/cat.jpg', host: 'https://img.example.com', key: '943b421c9eb07c830af81030552c86009268de4e532ba2ee2eab8247c6da0881', salt: '520f986b998545b4785e0defbc4f3c1203f22de2374a3d53cb7a7fe9fea309c5' }
	},
	{ path: 'image.batch.submit', example: { items: [{ image: FILE, ops: [{ op: 'resize', params: { width: 400 } }] }] }, planned: true },
	{ path: 'image.batch.status', example: { id: 'JOB_ID' }, planned: true },
	{ path: 'image.batch.cancel', example: { id: 'JOB_ID' }, planned: true },
	{ path: 'idphoto.set_kb', example: { input_image: FILE, kb: 50, dpi: 300 } },
	{ path: 'idphoto.watermark', example: { input_image: FILE, text: 'Hello', size: 20, opacity: 0.5, angle: 30, color: '#000000', space: 25, dpi: 300 } },
	{ path: 'idphoto.idphoto', example: { input_image: FILE, height: 413, width: 295, hd: true, dpi: 300, face_alignment: true } },
	{ path: 'idphoto.add_background', example: { input_image: FILE, color: '638cce', kb: 200, render: 0, dpi: 300 } },
	{ path: 'idphoto.generate_layout_photos', example: { input_image: FILE, height: 413, width: 295, kb: 200, dpi: 300 } },
	{ path: 'idphoto.human_matting', example: { input_image: FILE, dpi: 300 } },
	{ path: 'idphoto.idphoto_crop', example: { input_image: FILE, height: 413, width: 295, hd: true, dpi: 300 } },
	{ path: 'idphoto.adjust', example: { input_image: FILE, whitening_strength: 2, brightness_strength: 5, contrast_strength: 0, sharpen_strength: 1, saturation_strength: 0 } },
	{ path: 'repair.image_repair', example: { image: FILE, MaskPoly: [[[20, 20], [220, 20], [220, 80], [20, 80]]], dilate: 3 } },
	{
		path: 'cos.put_object',
		example: { Bucket: 'examplebucket-1250000000', Key: 'photos/photo.jpg', Body: FILE, PicOperations: { is_pic_info: 1, rules: [{ fileid: 'format.png', rule: 'imageView2/format/png' }, { fileid: '/thumbs/photo.webp', rule: 'imageMogr2/thumbnail/400x/format/webp' }] } }
	},
	{
		path: 'cos.image_process',
		example: { Bucket: 'examplebucket-1250000000', Key: 'photos/photo.jpg', PicOperations: { is_pic_info: 1, rules: [{ fileid: 'square.jpg', rule: 'imageView2/1/w/200/h/200' }] } }
	},
	{ path: 'cos.put_folder_rules', example: { folder: 'inbox', pic_operations: { rules: [{ fileid: '/thumbs/${InputName}.webp', rule: 'imageMogr2/thumbnail/400x/format/webp' }] } } },
	{ path: 'cos.get_folder_rules', example: { folder: 'inbox' } },
	{ path: 'cos.list_folder_rules', example: {} },
	{ path: 'cos.delete_folder_rules', example: { folder: 'inbox' } },
	{ path: 'watermark_removal.remove', example: { image_file: FILE, excludeKeywords: [{ value: 'Darkroom', rule: 'similar' }], offset: { '-x': 2, '-y': 2, '+w': 4, '+h': 4 }, ocrOnly: false, show: false } },
	{ path: 'library.usage' },
	{ path: 'library.export', example: {} },
	{ path: 'library.import', example: { file: FILE } },
	{ path: 'library.configure', example: { max_bytes: null } },
	{ path: 'limits' },
	{ path: 'configure', example: { maxPixels: 100_000_000, maxBytes: 67_108_864 } }
];

/** Method paths found on the live object (functions, nested namespaces), for anything the list lacks. */
export function discoverMethods(root: object, prefix = '', depth = 0, seen = new Set<object>()): string[] {
	if (depth > 3 || seen.has(root)) return [];
	seen.add(root);
	const out: string[] = [];
	for (const key of Object.keys(root)) {
		if (key.startsWith('_')) continue; // private hooks (tests, debugging)
		const v = (root as Record<string, unknown>)[key];
		const path = prefix ? `${prefix}.${key}` : key;
		if (typeof v === 'function') out.push(path);
		else if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...discoverMethods(v, path, depth + 1, seen));
	}
	return out;
}

/** `image.transformation.create` → the function, bound to its namespace. */
export function resolveMethod(root: object, path: string): ((arg?: unknown) => unknown) | undefined {
	const parts = path.split('.');
	let owner: unknown = root;
	for (const p of parts.slice(0, -1)) {
		owner = (owner as Record<string, unknown> | undefined)?.[p];
		if (!owner || typeof owner !== 'object') return undefined;
	}
	const fn = (owner as Record<string, unknown>)[parts[parts.length - 1]];
	return typeof fn === 'function' ? (fn.bind(owner) as (arg?: unknown) => unknown) : undefined;
}

/** Replaces every `"$file"` string with the chosen file; reports whether any was found. */
export function substituteFile(value: unknown, file: File | null): { value: unknown; used: boolean } {
	let used = false;
	const walk = (v: unknown): unknown => {
		if (v === FILE) {
			used = true;
			return file;
		}
		if (Array.isArray(v)) return v.map(walk);
		if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
		return v;
	};
	return { value: walk(value), used };
}

/** The response as shown: binary values described, very long strings shortened. */
export function displayValue(value: unknown, maxString = 160): unknown {
	const seen = new WeakSet<object>();
	const walk = (v: unknown): unknown => {
		if (typeof v === 'string') return v.length > maxString ? `${v.slice(0, 96)}… (${v.length.toLocaleString('en')} chars)` : v;
		if (typeof v === 'bigint') return v.toString();
		if (typeof Blob !== 'undefined' && v instanceof Blob) return `[${v.constructor.name} ${v.type || 'unknown type'}, ${v.size} bytes]`;
		if (v instanceof ArrayBuffer) return `[ArrayBuffer, ${v.byteLength} bytes]`;
		if (ArrayBuffer.isView(v)) return `[${v.constructor.name}, ${v.byteLength} bytes]`;
		if (v instanceof Date) return v.toISOString();
		if (v && typeof v === 'object') {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
			if (Array.isArray(v)) return v.map(walk);
			return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
		}
		return v;
	};
	return walk(value);
}

const SNIFF: [string, string][] = [
	['/9j/', 'image/jpeg'],
	['iVBORw0KGgo', 'image/png'],
	['UklGR', 'image/webp'],
	['R0lGOD', 'image/gif'],
	['Qk', 'image/bmp']
];

/** Every image the response points at: image_url / url fields, data: URLs and bare image_base64 fields. */
export function imagesIn(value: unknown): { key: string; src: string }[] {
	const out: { key: string; src: string }[] = [];
	const walk = (v: unknown, key: string) => {
		if (typeof v === 'string') {
			if (v.startsWith('data:image/') || v.startsWith('blob:')) out.push({ key, src: v });
			else if (/(^|\.)(image_url|url|processed_url)$/.test(key) && /^(\/|https?:)/.test(v)) out.push({ key, src: v });
			else if (/image_base64/.test(key) && v.length > 32) {
				const mime = SNIFF.find(([p]) => v.startsWith(p))?.[1] ?? 'image/avif';
				out.push({ key, src: `data:${mime};base64,${v}` });
			}
			return;
		}
		if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${key}[${i}]`));
		else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, key ? `${key}.${k}` : k);
	};
	walk(value, '');
	return out;
}
