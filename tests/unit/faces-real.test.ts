/**
 * BlazeFace detection end to end (onnxruntime-web WASM in Node) on the six face-api demo
 * photos. Expected faces were counted by eye on downscaled copies; positions are rough
 * face centres as fractions of width / height.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { detectFaces, type Face } from '../../src/lib/features/faces/detect';
import { getSession, useRuntime } from '../../src/lib/models/session';

const root = join(__dirname, '..', '..');
const modelBytes = (f: string) => new Uint8Array(readFileSync(join(root, 'static', 'models', f)));

/** [fx, fy] face centres per photo. */
const EXPECTED: Record<number, [number, number][]> = {
	1: [[0.27, 0.35], [0.48, 0.41], [0.81, 0.26]], // three women, right one head tilted
	2: [[0.24, 0.19], [0.51, 0.25], [0.81, 0.19]], // left face in near profile, middle looking down
	3: [[0.35, 0.36], [0.61, 0.27], [0.83, 0.31]],
	4: [[0.175, 0.22], [0.39, 0.14], [0.57, 0.21], [0.71, 0.17]],
	5: [[0.44, 0.15], [0.625, 0.22], [0.36, 0.39], [0.77, 0.37], [0.24, 0.72]], // five on a staircase
	6: [[0.19, 0.4], [0.39, 0.31], [0.65, 0.27], [0.82, 0.26]]
};
/** A face is matched when a box centre lies within this fraction of the width of its centre (both axes). */
const MATCH = 0.06;
/** A detection farther than this (fraction of width) from every expected face is a false positive. */
const FAR = 0.1;

beforeAll(async () => {
	ort.env.wasm.numThreads = 1;
	useRuntime(ort, 'wasm');
	await getSession('blazeface-front-128', { bytes: modelBytes('blazeface-front-128.onnx') });
	await getSession('blazeface-back-256', { bytes: modelBytes('blazeface-back-256.onnx') });
}, 60_000);

const centre = (f: Face) => [f.box.x + f.box.width / 2, f.box.y + f.box.height / 2] as const;

describe('detectFaces on real photos', () => {
	for (const [n, expected] of Object.entries(EXPECTED)) {
		it(`sample${n}.jpg: ${expected.length} faces`, async () => {
			const { image } = await decode(new Uint8Array(readFileSync(join(root, `node_modules/@vladmandic/face-api/demo/sample${n}.jpg`))));
			const W = image.width;
			const H = image.height;
			const t = performance.now();
			const faces = await detectFaces(image);
			const ms = performance.now() - t;
			console.log(`sample${n}: expected ${expected.length}, found ${faces.length} in ${ms.toFixed(0)} ms; scores ${faces.map((f) => f.score.toFixed(2)).join(' ')}`);
			if (process.env.FACES_DUMP) {
				mkdirSync(process.env.FACES_DUMP, { recursive: true });
				writeFileSync(join(process.env.FACES_DUMP, `sample${n}.json`), JSON.stringify({ w: W, h: H, faces }));
			}

			// Every expected face matched by a detection.
			for (const [fx, fy] of expected) {
				const hit = faces.some((f) => {
					const [cx, cy] = centre(f);
					return Math.abs(cx - fx * W) <= MATCH * W && Math.abs(cy - fy * H) <= MATCH * W;
				});
				expect(hit, `face at ${fx}, ${fy}`).toBe(true);
			}
			// No detection on background, no duplicates.
			for (const f of faces) {
				const [cx, cy] = centre(f);
				const d = Math.min(...expected.map(([fx, fy]) => Math.hypot(cx - fx * W, cy - fy * H)));
				expect(d / W, `detection at ${(cx / W).toFixed(2)}, ${(cy / H).toFixed(2)}`).toBeLessThan(FAR);
			}
			expect(faces.length).toBe(expected.length);

			for (const f of faces) {
				expect(f.score).toBeGreaterThanOrEqual(0.7);
				// Plausible size: a face in these photos is 5–20 % of the width.
				expect(f.box.width / W).toBeGreaterThan(0.05);
				expect(f.box.width / W).toBeLessThan(0.2);
				const k = Object.fromEntries(f.keypoints.map((p) => [p.name, p]));
				expect(f.keypoints.map((p) => p.name)).toEqual(['rightEye', 'leftEye', 'nose', 'mouth', 'rightEar', 'leftEar']);
				for (const eye of [k.rightEye, k.leftEye]) {
					expect(eye.y).toBeLessThan(k.mouth.y);
					expect(eye.x).toBeGreaterThanOrEqual(f.box.x);
					expect(eye.x).toBeLessThanOrEqual(f.box.x + f.box.width);
					expect(eye.y).toBeGreaterThanOrEqual(f.box.y);
					expect(eye.y).toBeLessThanOrEqual(f.box.y + f.box.height);
				}
				// The subject's right eye is on the image left for these (non-mirrored) photos; in
				// sample2's profile both eyes collapse onto the visible one, hence the tolerance.
				expect(k.rightEye.x).toBeLessThan(k.leftEye.x + 0.02 * f.box.width);
			}
		}, 60_000);
	}

	it('front / back single-pass modes run and find the clearest face', async () => {
		const { image } = await decode(new Uint8Array(readFileSync(join(root, 'node_modules/@vladmandic/face-api/demo/sample3.jpg'))));
		const back = await detectFaces(image, { model: 'back' });
		expect(back.length).toBeGreaterThanOrEqual(1);
		const front = await detectFaces(image, { model: 'front' });
		// Faces are ~12 % of the width: too small for the short-range model's close-up filter.
		expect(front.length).toBe(0);
	}, 60_000);
});
