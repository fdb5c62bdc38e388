/**
 * ID-photo size presets. px = round(mm × dpi / 25.4). Head rules are copied only where the
 * issuing body publishes one (chin-to-crown height unless `note` says otherwise); where a figure
 * is not certain, `note` says so rather than inventing precision. Check the current rule of the
 * issuing body before relying on any preset for an application.
 */
import { invalidParam } from '../../api/errors';

export interface HeadRule {
	/** Head height (chin to crown) range in mm. */
	heightMm?: [min: number, max: number];
	/** Head height as a fraction range of the photo height. */
	heightFraction?: [min: number, max: number];
	/** Head width range in mm. */
	widthMm?: [min: number, max: number];
}

export interface IdPhotoPreset {
	id: string;
	name_en: string;
	name_zh: string;
	width_px: number;
	height_px: number;
	width_mm: number;
	height_mm: number;
	dpi: number;
	/** Allowed background colour(s), hex '#rrggbb'; the first is the default. */
	background: string | string[];
	head?: HeadRule;
	/** Name of the rule or standard, or 'common practice' where none applies. */
	source: string;
	note?: string;
}

const WHITE = '#ffffff';
const CN_BLUE = '#438edb';
const CN_RED = '#d9001b';
const CN_BACKGROUNDS = [WHITE, CN_BLUE, CN_RED];

export function mmToPx(mm: number, dpi = 300): number {
	if (typeof mm !== 'number' || !Number.isFinite(mm) || mm <= 0) throw invalidParam('mm', 'a positive number of millimetres', mm);
	if (typeof dpi !== 'number' || !Number.isFinite(dpi) || dpi <= 0 || dpi > 10000) throw invalidParam('dpi', 'a dpi from 1 to 10000', dpi);
	return Math.round((mm * dpi) / 25.4);
}

export function pxToMm(px: number, dpi = 300): number {
	if (typeof px !== 'number' || !Number.isFinite(px) || px <= 0) throw invalidParam('px', 'a positive number of pixels', px);
	if (typeof dpi !== 'number' || !Number.isFinite(dpi) || dpi <= 0 || dpi > 10000) throw invalidParam('dpi', 'a dpi from 1 to 10000', dpi);
	return (px * 25.4) / dpi;
}

function p(id: string, name_en: string, name_zh: string, wmm: number, hmm: number, dpi: number, background: string | string[], source: string, extra: { head?: HeadRule; note?: string; px?: [number, number] } = {}): IdPhotoPreset {
	const [width_px, height_px] = extra.px ?? [mmToPx(wmm, dpi), mmToPx(hmm, dpi)];
	const preset: IdPhotoPreset = { id, name_en, name_zh, width_px, height_px, width_mm: wmm, height_mm: hmm, dpi, background, source };
	if (extra.head) preset.head = extra.head;
	if (extra.note) preset.note = extra.note;
	return preset;
}

const INCH = 25.4;

export const ID_PHOTO_PRESETS: readonly IdPhotoPreset[] = [
	p('cn-1inch', '1-inch', '一寸', 25, 35, 300, CN_BACKGROUNDS, 'common practice (China)'),
	p('cn-small-1inch', 'Small 1-inch', '小一寸', 22, 32, 300, CN_BACKGROUNDS, 'common practice (China)'),
	p('cn-large-1inch', 'Large 1-inch', '大一寸', 33, 48, 300, CN_BACKGROUNDS, 'common practice (China)'),
	p('cn-2inch', '2-inch', '二寸', 35, 49, 300, CN_BACKGROUNDS, 'common practice (China)'),
	p('cn-small-2inch', 'Small 2-inch', '小二寸', 35, 45, 300, CN_BACKGROUNDS, 'common practice (China)'),
	p('cn-large-2inch', 'Large 2-inch', '大二寸', 35, 53, 300, CN_BACKGROUNDS, 'common practice (China)', {
		note: '35×53 mm (413×626 px); not the same as 2-inch 35×49 mm (413×579 px).'
	}),
	p('cn-resident-id', 'Chinese resident ID card', '居民身份证', 26, 32, 350, WHITE, 'GA 461 (resident ID card digital photo standard)', {
		note: 'Head-size limits are defined by the standard in pixels; not reproduced here (unverified).'
	}),
	p('cn-social-security', 'Social security card', '社保卡', 26, 32, 350, WHITE, 'common practice (China)', {
		note: 'Requirements vary by city; 358×441 px white background is the common one.'
	}),
	p('cn-driving-licence', 'Driving licence', '驾驶证', 22, 32, 300, WHITE, 'common practice (China)', {
		note: 'Small 1-inch, white background; check the local vehicle administration notice.'
	}),
	p('cn-teacher-cert', 'Teacher qualification exam', '教师资格证', 25, 35, 300, WHITE, 'common practice (China)', {
		note: 'Commonly 295×413 px; each exam notice sets its own size, background and file-size limits.'
	}),
	p('cn-civil-service', 'Civil service exam', '公务员考试', 25, 35, 300, [CN_BLUE, WHITE, CN_RED], 'common practice (China)', {
		note: 'Commonly 295×413 px; each exam notice sets its own size, background and file-size limits.'
	}),
	p('cn-passport', 'Chinese passport / travel document', '中国护照', 33, 48, 300, WHITE, 'NIA exit-entry document photo guidelines (出入境证件相片照相指引)', {
		head: { heightMm: [28, 33], widthMm: [21, 24] }
	}),
	p('cn-visa', 'Chinese visa', '中国签证', 33, 48, 300, WHITE, 'Chinese visa application photo requirements', {
		head: { heightMm: [28, 33], widthMm: [15, 22] },
		note: 'Head width figure unverified.'
	}),
	p('us-passport', 'US passport / visa', '美国护照/签证', 2 * INCH, 2 * INCH, 300, WHITE, 'US Department of State photo requirements', {
		head: { heightMm: [25.4, 34.925], heightFraction: [0.5, 0.69] },
		note: '2×2 in; head 1 to 1 3/8 in (chin to top of hair); white or off-white background.'
	}),
	p('schengen', 'Schengen visa', '申根签证', 35, 45, 300, ['#ffffff', '#f0f0f0'], 'ICAO Doc 9303 / Schengen visa photo guidelines', {
		head: { heightMm: [32, 36] },
		note: 'Head 32–36 mm (70–80% of the height), chin to crown; light plain background.'
	}),
	p('uk-passport', 'UK passport / visa', '英国护照/签证', 35, 45, 300, ['#f0f0f0', '#f5f0e1'], 'HM Passport Office photo rules', {
		head: { heightMm: [29, 34] },
		note: 'UK differs from Schengen: head 29–34 mm chin to crown; plain cream or light grey background.'
	}),
	p('jp-passport', 'Japan passport', '日本护照', 35, 45, 300, WHITE, 'MOFA Japan passport photo standard', {
		head: { heightMm: [32, 36] },
		note: 'Head 34 ± 2 mm (chin to crown); plain, light background (white not strictly required).'
	}),
	p('kr-passport', 'Korea passport', '韩国护照', 35, 45, 300, WHITE, 'MOFA Korea passport photo standard', {
		head: { heightMm: [32, 36] }
	}),
	p('ca-passport', 'Canada passport', '加拿大护照', 50, 70, 300, WHITE, 'IRCC / Passport Canada photo specifications', {
		head: { heightMm: [31, 36] },
		note: 'White or light-coloured plain background; 591×827 px at 300 dpi (some tools use 590×826).'
	}),
	p('in-passport', 'India passport / visa', '印度护照/签证', 2 * INCH, 2 * INCH, 300, WHITE, 'Indian passport / e-Visa photo requirements', {
		head: { heightFraction: [0.5, 0.69] },
		note: 'Head rule follows the 2×2 in US-style 50–69% used by the e-Visa guidance; passport offices in India use other sizes (unverified).'
	}),
	p('au-passport', 'Australia passport', '澳大利亚护照', 35, 45, 300, ['#ffffff', '#f0f0f0'], 'Australian Passport Office photo guidelines', {
		head: { heightMm: [32, 36] },
		note: 'Plain white or light grey background.'
	})
];

export function findPreset(id: string): IdPhotoPreset | undefined {
	return ID_PHOTO_PRESETS.find((x) => x.id === id);
}

export interface CustomSize {
	width: number;
	height: number;
	unit?: 'px' | 'mm';
	dpi?: number;
}

/** A custom size in px or mm (default px, 300 dpi) → { width_px, height_px, width_mm, height_mm, dpi }. */
export function customSize(c: CustomSize): Pick<IdPhotoPreset, 'width_px' | 'height_px' | 'width_mm' | 'height_mm' | 'dpi'> {
	const dpi = c.dpi ?? 300;
	const unit = c.unit ?? 'px';
	if (unit !== 'px' && unit !== 'mm') throw invalidParam('unit', '"px" or "mm"', unit);
	if (unit === 'mm') {
		const width_px = mmToPx(c.width, dpi);
		const height_px = mmToPx(c.height, dpi);
		if (width_px > 10000 || height_px > 10000) throw invalidParam('width', 'a size of at most 10000 px', `${width_px}×${height_px}`);
		return { width_px, height_px, width_mm: c.width, height_mm: c.height, dpi };
	}
	for (const [k, v] of [['width', c.width], ['height', c.height]] as const) {
		if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 10000) throw invalidParam(k, 'an integer from 1 to 10000', v);
	}
	return { width_px: c.width, height_px: c.height, width_mm: pxToMm(c.width, dpi), height_mm: pxToMm(c.height, dpi), dpi };
}
