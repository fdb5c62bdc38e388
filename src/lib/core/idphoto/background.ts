/**
 * ID-photo backgrounds (HivisionIDPhotos' add_background): render 0 solid, 1 vertical gradient
 * (the colour at the top fading to white at the bottom), 2 centre gradient (white at the centre
 * fading to the colour at the corners).
 */
import { invalidParam } from '../../api/errors';
import { parseColor } from '../color';
import { flattenOnto, compositeOver } from '../compose';
import { createImage, type RGBA, type RGBAImage } from '../image';

export type BackgroundRender = 0 | 1 | 2;

/** '638cce' or '#638cce' (and the other forms parseColor takes) → RGBA. */
export function parseHexColour(input: string, param = 'color'): RGBA {
	return parseColor(input, param);
}

function checkRender(render: unknown): BackgroundRender {
	if (render !== 0 && render !== 1 && render !== 2) throw invalidParam('render', '0 (solid), 1 (top-to-bottom gradient) or 2 (centre gradient)', render);
	return render;
}

function checkSize(v: unknown, param: string): number {
	if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 65535) throw invalidParam(param, 'an integer from 1 to 65535', v);
	return v;
}

export function renderBackground(width: number, height: number, colour: RGBA, render: BackgroundRender = 0): RGBAImage {
	checkSize(width, 'width');
	checkSize(height, 'height');
	checkRender(render);
	const [r, g, b, a] = colour;
	if (render === 0) return createImage(width, height, [r, g, b, a]);
	const img = createImage(width, height);
	const d = img.data;
	// mix(t): t = 0 → colour, t = 1 → white (alpha follows the same way towards opaque)
	const put = (i: number, t: number) => {
		d[i] = r + (255 - r) * t;
		d[i + 1] = g + (255 - g) * t;
		d[i + 2] = b + (255 - b) * t;
		d[i + 3] = a + (255 - a) * t;
	};
	if (render === 1) {
		const den = Math.max(1, height - 1);
		for (let y = 0; y < height; y++) {
			const t = y / den;
			const row = y * width * 4;
			put(row, t);
			for (let x = 1; x < width; x++) d.copyWithin(row + x * 4, row, row + 4);
		}
		return img;
	}
	// render 2: radial, white at the centre → colour at the corners.
	const cx = (width - 1) / 2;
	const cy = (height - 1) / 2;
	const maxD = Math.hypot(cx, cy) || 1;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const t = Math.min(1, Math.hypot(x - cx, y - cy) / maxD);
			put((y * width + x) * 4, 1 - t);
		}
	}
	return img;
}

/** The transparent ID photo composited over the rendered background; the result is opaque. */
export function addBackground(rgba: RGBAImage, colour: RGBA, render: BackgroundRender = 0): RGBAImage {
	checkRender(render);
	const opaque: RGBA = [colour[0], colour[1], colour[2], 255];
	if (render === 0) return flattenOnto(rgba, opaque);
	const bg = renderBackground(rgba.width, rgba.height, opaque, render);
	return compositeOver(bg, rgba, 0, 0);
}
