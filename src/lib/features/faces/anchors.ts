/**
 * SSD anchors of MediaPipe BlazeFace (short-range "front" 128² and full-range "back" 256²
 * models as converted by keijiro): a 16×16 grid with 2 anchors per cell followed by an
 * 8×8 grid with 6 anchors per cell, 896 in all, in the order the model outputs them
 * (`Identity:0`/`Identity_2:0` = the 512 of the 16×16 grid, `Identity_1:0`/`Identity_3:0`
 * = the 384 of the 8×8 grid). Both input sizes imply the same grids (stride 8/16 at 128²,
 * 16/32 at 256²), so anchors are in normalised coordinates (0..1): the centre of cell
 * (x, y) of a g×g grid is ((x + 0.5) / g, (y + 0.5) / g). BlazeFace uses fixed anchor
 * sizes (1 × 1), so only centres are needed.
 */
export interface Anchor {
	/** Centre, normalised 0..1. */
	x: number;
	y: number;
}

/** [grid size, anchors per cell] per output, in output order. */
export const BLAZEFACE_GRIDS: readonly (readonly [grid: number, perCell: number])[] = [
	[16, 2],
	[8, 6]
];

export function blazeFaceAnchors(grids: readonly (readonly [number, number])[] = BLAZEFACE_GRIDS): Anchor[] {
	const out: Anchor[] = [];
	for (const [g, n] of grids) {
		for (let y = 0; y < g; y++) {
			for (let x = 0; x < g; x++) {
				const a = { x: (x + 0.5) / g, y: (y + 0.5) / g };
				for (let k = 0; k < n; k++) out.push(a);
			}
		}
	}
	return out;
}

let cached: Anchor[] | undefined;
/** The 896 BlazeFace anchors (shared, do not mutate). */
export function defaultAnchors(): readonly Anchor[] {
	return (cached ??= blazeFaceAnchors());
}
