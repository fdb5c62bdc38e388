import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DarkroomError } from '../../src/lib/api/errors';
import { cdnPath, cosPath, parseDeliveryUrl, transformSegment } from '../../src/lib/delivery/urls';
import { base64url, checkExpiresIn, fromBase64url, generateSigningKey, signUrl, verifySigned } from '../../src/lib/delivery/sign';
import { hexBytes, imgproxyUrl, signImgproxyPath } from '../../src/lib/delivery/imgproxy';

describe('delivery URL paths', () => {
	it('builds and reads /cdn/<id>/<transform>', () => {
		const path = cdnPath('a1B2_c-3', transformSegment({ width: 400, height: 300, fit: 'cover', format: 'webp', quality: 80 }));
		expect(path).toBe('/cdn/a1B2_c-3/w_400,h_300,c_cover,f_webp,q_80');
		expect(parseDeliveryUrl(`http://app.local${path}`)).toEqual({ target: { kind: 'cdn', id: 'a1B2_c-3', transform: 'w_400,h_300,c_cover,f_webp,q_80' }, signedPart: path, exp: undefined, sig: undefined });
		expect(parseDeliveryUrl('/cdn/abc')?.target).toEqual({ kind: 'cdn', id: 'abc', transform: undefined });
		expect(parseDeliveryUrl('/cdn/abc/t_thumb')?.target).toEqual({ kind: 'cdn', id: 'abc', transform: 't_thumb' });
	});

	it('builds and reads seed 003 style /cos/<key>?<rule>', () => {
		const p = cosPath('photos/2024/cat 1.jpg', 'imageMogr2/thumbnail/400x/format/webp');
		expect(p).toBe('/cos/photos/2024/cat%201.jpg?imageMogr2/thumbnail/400x/format/webp');
		expect(parseDeliveryUrl(p)).toMatchObject({ target: { kind: 'cos', key: 'photos/2024/cat 1.jpg', rule: 'imageMogr2/thumbnail/400x/format/webp' } });
		expect(parseDeliveryUrl('/cos/a.png?imageView2/1/w/200/h/200&exp=10&sig=abc')).toMatchObject({ target: { rule: 'imageView2/1/w/200/h/200' }, exp: 10, sig: 'abc', signedPart: '/cos/a.png?imageView2/1/w/200/h/200' });
	});

	it('keeps every parameter of a ci-process query, and leaves exp/sig out of it', () => {
		const p = parseDeliveryUrl('/cos/a/b.jpg?ci-process=ImageRepair&MaskPoly=W1tbMSwyXV1d&exp=99&sig=zz')!;
		expect(p.target).toEqual({ kind: 'cos', key: 'a/b.jpg', rule: 'ci-process=ImageRepair&MaskPoly=W1tbMSwyXV1d' });
		expect(p.signedPart).toBe('/cos/a/b.jpg?ci-process=ImageRepair&MaskPoly=W1tbMSwyXV1d');
		expect(cosPath('a/b.jpg', 'ci-process=ImageRepair&MaskPoly=W1tbMSwyXV1d')).toBe('/cos/a/b.jpg?ci-process=ImageRepair&MaskPoly=W1tbMSwyXV1d');
	});

	it('ignores other URLs and refuses bad parts', () => {
		expect(parseDeliveryUrl('/idphoto')).toBeUndefined();
		expect(parseDeliveryUrl('/cdn/')).toBeUndefined();
		expect(parseDeliveryUrl('/cdn/a/b/c')).toBeUndefined();
		expect(() => cdnPath('../etc')).toThrow(/library id/);
		expect(() => transformSegment('w_-1')).toThrow(DarkroomError);
		expect(() => cosPath('a.jpg', 'imageMogr2/explode/1')).toThrow(/not supported/);
	});
});

describe('signed URLs', () => {
	it('verifies its own signature and rejects tampering, expiry and garbage', async () => {
		const key = await generateSigningKey();
		expect(key.extractable).toBe(false);
		const now = Date.UTC(2026, 0, 1);
		const { url, exp } = await signUrl(key, '/cdn/abc/w_100', 60, now);
		expect(exp).toBe(now / 1000 + 60);
		const p = parseDeliveryUrl(url)!;
		expect(await verifySigned(key, p.signedPart, p.exp, p.sig, now)).toEqual({ ok: true });
		expect(await verifySigned(key, p.signedPart, p.exp, p.sig, now + 61_000)).toEqual({ ok: false, reason: 'expired' });
		// Another transform, a later expiry, or another key: refused.
		expect(await verifySigned(key, '/cdn/abc/w_1000', p.exp, p.sig, now)).toEqual({ ok: false, reason: 'bad-signature' });
		expect(await verifySigned(key, p.signedPart, p.exp! + 3600, p.sig, now)).toEqual({ ok: false, reason: 'bad-signature' });
		expect(await verifySigned(await generateSigningKey(), p.signedPart, p.exp, p.sig, now)).toEqual({ ok: false, reason: 'bad-signature' });
		const flipped = p.sig!.slice(0, -2) + (p.sig!.at(-2) === 'A' ? 'B' : 'A') + p.sig!.at(-1);
		expect(await verifySigned(key, p.signedPart, p.exp, flipped, now)).toEqual({ ok: false, reason: 'bad-signature' });
		expect(await verifySigned(key, p.signedPart, undefined, p.sig, now)).toEqual({ ok: false, reason: 'missing' });
		expect(await verifySigned(key, p.signedPart, p.exp, 'not*base64', now)).toEqual({ ok: false, reason: 'malformed' });
		expect(await verifySigned(key, p.signedPart, p.exp, 'AAAA', now)).toEqual({ ok: false, reason: 'malformed' });
		expect(await verifySigned(key, p.signedPart, NaN, p.sig, now)).toEqual({ ok: false, reason: 'malformed' });
	});

	it('signs a /cos/ rule URL over its rule', async () => {
		const key = await generateSigningKey();
		const { url } = await signUrl(key, cosPath('a/b.jpg', 'imageView2/2/w/100'), 10, 0);
		const p = parseDeliveryUrl(url)!;
		expect(await verifySigned(key, p.signedPart, p.exp, p.sig, 0)).toEqual({ ok: true });
		const other = parseDeliveryUrl(url.replace('w/100', 'w/900'))!;
		expect(await verifySigned(key, other.signedPart, other.exp, other.sig, 0)).toMatchObject({ ok: false });
	});

	it('checks expires_in_s and round-trips base64url', () => {
		expect(checkExpiresIn(60)).toBe(60);
		for (const bad of [0, -1, 1.5, '60', 366 * 86400]) expect(() => checkExpiresIn(bad)).toThrow(/expires_in_s/);
		const bytes = Uint8Array.from({ length: 33 }, (_, i) => i * 7);
		expect(fromBase64url(base64url(bytes))).toEqual(bytes);
	});
});

describe('imgproxy export', () => {
	// The key and salt of the example in imgproxy's "Signing the URL" documentation; node:crypto is the reference.
	const KEY = '943b421c9eb07c830af81030552c86009268de4e532ba2ee2eab8247c6da0881';
	const SALT = '520f986b998545b4785e0defbc4f3c1203f22de2374a3d53cb7a7fe9fea309c5';

	it('signs as imgproxy does (HMAC-SHA256 of salt + path, base64url)', async () => {
		const path = '/rs:fill:300:400:0/g:sm/aHR0cDovL2V4YW1w/bGUuY29tL2ltYWdl/cy9jdXJpb3NpdHku/anBn.png';
		const ours = await signImgproxyPath(hexBytes(KEY, 'key'), hexBytes(SALT, 'salt'), path);
		const node = createHmac('sha256', Buffer.from(KEY, 'hex')).update(Buffer.from(SALT, 'hex')).update(path).digest('base64url');
		expect(ours).toBe(node);
		expect(ours).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});

	it('maps a transform to processing options and a base64url source', async () => {
		const url = await imgproxyUrl({ host: 'https://img.example.com/', key: KEY, salt: SALT }, 's3://bucket/cat.jpg', 'w_400,h_300,c_cover,g_north,f_webp,q_80');
		const m = /^https:\/\/img\.example\.com\/([A-Za-z0-9_-]{43})(\/.*)$/.exec(url)!;
		expect(m[2]).toBe(`/rs:fill:400:300:0/g:no/q:80/${Buffer.from('s3://bucket/cat.jpg').toString('base64url')}.webp`);
		expect(m[1]).toBe(createHmac('sha256', Buffer.from(KEY, 'hex')).update(Buffer.from(SALT, 'hex')).update(m[2]).digest('base64url'));
		const contain = await imgproxyUrl({ host: 'http://i.local', key: KEY, salt: SALT }, 'https://x/y.png', { width: 200, height: 200, fit: 'contain', background: '#ff8000', enlarge: true, rotate: -90, flop: true, format: 'jpeg' });
		expect(contain).toMatch(/\/rs:fit:200:200:1:1\/bg:ff8000\/rot:270\/fl:1:0\/[A-Za-z0-9_-]+\.jpg$/);
	});

	it('refuses what imgproxy cannot express and bad credentials', async () => {
		const t = { host: 'https://i', key: KEY, salt: SALT };
		await expect(imgproxyUrl(t, 'https://x/y', 'w_10,h_10,c_outside')).rejects.toThrow(/no equivalent of fit "outside"/);
		await expect(imgproxyUrl(t, 'https://x/y', 'a_45')).rejects.toThrow(/multiples of 90/);
		await expect(imgproxyUrl(t, 'https://x/y', { ops: [{ op: 'face_blur' }] })).rejects.toThrow(/process ops/);
		await expect(imgproxyUrl({ ...t, key: 'xyz' }, 'https://x/y', 'w_1')).rejects.toThrow(/key/);
		await expect(imgproxyUrl({ ...t, host: 'ftp://x' }, 'https://x/y', 'w_1')).rejects.toThrow(/host/);
		await expect(imgproxyUrl(t, 'cat.jpg', 'w_1')).rejects.toThrow(/source/);
	});
});
