/**
 * Paints the marks on a 2D canvas, in order: shapes and brush strokes add, eraser strokes
 * take away (destination-out). The same drawing makes the red overlay the user sees and the
 * white-on-black MaskPic that repair.image_repair receives, so what is shown is what goes.
 * This is the only pixel work on the main thread, and the browser's canvas does it.
 */
import type { Mark } from './mask';

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Draws `marks` with `color` onto a transparent context whose pixels are the image's × `scale`. */
export function paintMarks(ctx: Ctx, marks: readonly Mark[], color: string, scale = 1): void {
	ctx.save();
	ctx.setTransform(scale, 0, 0, scale, 0, 0);
	ctx.fillStyle = color;
	ctx.strokeStyle = color;
	ctx.lineCap = 'round';
	ctx.lineJoin = 'round';
	for (const m of marks) {
		if (m.kind === 'text' && !m.on) continue;
		if (!m.points.length) continue;
		ctx.globalCompositeOperation = m.kind === 'stroke' && m.erase ? 'destination-out' : 'source-over';
		ctx.beginPath();
		if (m.kind === 'stroke') {
			if (m.points.length === 1) {
				ctx.arc(m.points[0][0], m.points[0][1], m.radius, 0, Math.PI * 2);
				ctx.fill();
				continue;
			}
			ctx.lineWidth = m.radius * 2;
			ctx.moveTo(m.points[0][0], m.points[0][1]);
			for (let i = 1; i < m.points.length; i++) ctx.lineTo(m.points[i][0], m.points[i][1]);
			ctx.stroke();
		} else {
			ctx.moveTo(m.points[0][0], m.points[0][1]);
			for (let i = 1; i < m.points.length; i++) ctx.lineTo(m.points[i][0], m.points[i][1]);
			ctx.closePath();
			ctx.fill('nonzero');
		}
	}
	ctx.restore();
}

/**
 * The mask as a PNG at the image's own size: white where the marks paint, black elsewhere
 * (anti-aliased edges are thresholded at half by the repair call).
 */
export async function maskPng(marks: readonly Mark[], width: number, height: number): Promise<Blob> {
	if (typeof OffscreenCanvas !== 'undefined') {
		const c = new OffscreenCanvas(width, height);
		const g = c.getContext('2d');
		if (!g) throw new Error('This browser cannot draw the mask (no 2D canvas)');
		paintMarks(g, marks, '#ffffff');
		g.globalCompositeOperation = 'destination-over';
		g.fillStyle = '#000000';
		g.fillRect(0, 0, width, height);
		return c.convertToBlob({ type: 'image/png' });
	}
	const c = document.createElement('canvas');
	c.width = width;
	c.height = height;
	const g = c.getContext('2d');
	if (!g) throw new Error('This browser cannot draw the mask (no 2D canvas)');
	paintMarks(g, marks, '#ffffff');
	g.globalCompositeOperation = 'destination-over';
	g.fillStyle = '#000000';
	g.fillRect(0, 0, width, height);
	return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('Could not encode the mask as PNG'))), 'image/png'));
}
