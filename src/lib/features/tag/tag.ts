/**
 * image.tag in the worker: COCO objects (CenterNet), faces (BlazeFace), text present
 * (PP-OCRv4 det), dominant colours (median cut + k-means) and photo vs drawing, merged into
 * label + confidence pairs.
 */
import type { RGBAImage } from '../../core/image';
import { detectFaces } from '../faces/detect';
import { classifyNsfw, NSFW_ID } from '../moderate/nsfw';
import { CENTERNET_ID, cocoLabel, detectObjects, type Detection } from './centernet';
import { dominantColours, groupByName, type PaletteColour } from './colours';
import { classifyStyle, styleStats, type StyleVerdict } from './style';
import { detectTextPresence, PPOCR_DET_ID, type TextPresence } from './text';
import type { Tag, TagParams, TagResult } from './types';
import { BLAZEFACE_MODELS } from '../faces/detect';
import type { Face } from '../faces/types';

export const TAG_MODELS = [CENTERNET_ID, BLAZEFACE_MODELS.front.id, BLAZEFACE_MODELS.back.id, PPOCR_DET_ID, NSFW_ID];

const r3 = (v: number) => Math.round(v * 1000) / 1000;
const box = (b: { x: number; y: number; width: number; height: number }, confidence: number) => ({
	x: Math.round(b.x),
	y: Math.round(b.y),
	width: Math.round(b.width),
	height: Math.round(b.height),
	confidence: r3(confidence)
});

export interface Findings {
	objects: Detection[];
	faces: Face[];
	text: TextPresence;
	colours: PaletteColour[];
	style: StyleVerdict;
}

/** Turns what was found into tags: pure, so it is unit-tested without models. */
export function buildTags(f: Findings, p: TagParams): Tag[] {
	const tags: Tag[] = [];
	const byClass = new Map<number, Detection[]>();
	for (const d of f.objects) {
		if (d.score < p.min_confidence) continue;
		const list = byClass.get(d.classIndex) ?? [];
		list.push(d);
		byClass.set(d.classIndex, list);
	}
	for (const [c, list] of byClass) {
		const l = cocoLabel(c);
		tags.push({ label: l.en, label_zh: l.zh, confidence: r3(Math.max(...list.map((d) => d.score))), source: 'objects', count: list.length, boxes: list.map((d) => box(d.box, d.score)) });
	}
	if (f.faces.length) {
		const mean = f.faces.reduce((s, x) => s + x.score, 0) / f.faces.length;
		tags.push({ label: 'face', label_zh: '人脸', confidence: r3(mean), source: 'faces', count: f.faces.length, boxes: f.faces.map((x) => box(x.box, x.score)) });
	}
	if (f.text.present) tags.push({ label: 'text', label_zh: '文字', confidence: r3(f.text.confidence), source: 'text' });
	for (const c of groupByName(f.colours)) tags.push({ label: c.name, label_zh: c.name_zh, confidence: r3(c.share), source: 'colour', hex: c.hex, share: r3(c.share) });
	const drawing = f.style.kind === 'drawing';
	tags.push({ label: drawing ? 'drawing or graphic' : 'photo', label_zh: drawing ? '绘画或图形' : '照片', confidence: r3(f.style.confidence), source: 'style' });
	return tags
		.filter((t) => t.confidence >= p.min_confidence)
		.sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label))
		.slice(0, p.max_tags);
}

export async function runTag(img: RGBAImage, p: TagParams): Promise<Omit<TagResult, 'backend'>> {
	const t0 = performance.now();
	let t = t0;
	const lap = () => {
		const now = performance.now();
		const d = Math.round(now - t);
		t = now;
		return d;
	};
	// Low floor here; min_confidence filters below (objects under 0.1 are noise whatever is asked).
	const objects = await detectObjects(img, Math.max(0.1, Math.min(p.min_confidence, 1)));
	const msObjects = lap();
	const faces = await detectFaces(img);
	const msFaces = lap();
	const text = await detectTextPresence(img);
	const msText = lap();
	const colours = dominantColours(img);
	const msColour = lap();
	const nsfw = await classifyNsfw(img);
	const style = classifyStyle(styleStats(img), nsfw.drawing + nsfw.hentai);
	const msStyle = lap();
	const findings: Findings = { objects, faces, text, colours, style };
	return {
		tags: buildTags(findings, p),
		objects: objects
			.filter((d) => d.score >= p.min_confidence)
			.map((d) => {
				const l = cocoLabel(d.classIndex);
				return { label: l.en, label_zh: l.zh, confidence: r3(d.score), box: box(d.box, d.score) };
			}),
		faces: faces.length,
		text: { present: text.present, confidence: r3(text.confidence), area: Math.round(text.area * 1e5) / 1e5 },
		colours: colours.map((c) => ({ ...c, share: r3(c.share) })),
		style: { ...style, confidence: r3(style.confidence), graphic_score: r3(style.graphic_score), drawing_score: r3(style.drawing_score), flat_share: r3(style.flat_share), colour_spread: r3(style.colour_spread) },
		width: img.width,
		height: img.height,
		models: TAG_MODELS,
		ms: { objects: msObjects, faces: msFaces, text: msText, colour: msColour, style: msStyle, total: Math.round(performance.now() - t0) }
	};
}
