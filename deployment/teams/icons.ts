/**
 * Draws the two Teams app icons, a chat bubble with three dots, and writes them next to this file:
 * - color.png: 192×192, full colour (white bubble on the accent colour; the bubble stays inside the
 *   120×120 centre that Teams keeps visible),
 * - outline.png: 32×32, white on transparent (Teams tints it).
 * Pure Node (PNG encoding in ./png). Run after changing the drawing: `npx tsx deployment/teams/icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodePng } from './png';

/** The accent colour of the app (the manifest's accentColor and the web chat's default accent). */
export const ACCENT = { r: 0x0a, g: 0x5f, b: 0xd8 };
const WHITE = { r: 0xff, g: 0xff, b: 0xff };
/** Samples per pixel along each axis: 4 × 4 samples give smooth (anti-aliased) edges. */
const SUPERSAMPLING = 4;

interface Point {
  x: number;
  y: number;
}

// The bubble, in units of its own bounding box (0..1 on both axes): a rounded body, a tail at the
// lower left, and three dots on the body's middle line.
const BODY = { left: 0, top: 0, right: 1, bottom: 0.72, radius: 0.2 };
const TAIL: [Point, Point, Point] = [
  { x: 0.18, y: 0.66 },
  { x: 0.44, y: 0.66 },
  { x: 0.1, y: 1 },
];
const DOT_RADIUS = 0.085;
const DOTS: Point[] = [0.27, 0.5, 0.73].map((x) => ({ x, y: 0.36 }));

function inRoundedBody({ x, y }: Point): boolean {
  const { left, top, right, bottom, radius } = BODY;
  if (x < left || x > right || y < top || y > bottom) return false;
  const dx = Math.max(left + radius - x, 0, x - (right - radius));
  const dy = Math.max(top + radius - y, 0, y - (bottom - radius));
  return dx * dx + dy * dy <= radius * radius;
}

function inTriangle(p: Point, [a, b, c]: [Point, Point, Point]): boolean {
  const side = (u: Point, v: Point) => (v.x - u.x) * (p.y - u.y) - (v.y - u.y) * (p.x - u.x);
  const s1 = side(a, b);
  const s2 = side(b, c);
  const s3 = side(c, a);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
}

function inDot(p: Point): boolean {
  return DOTS.some((d) => (p.x - d.x) ** 2 + (p.y - d.y) ** 2 <= DOT_RADIUS ** 2);
}

/** Whether a point (bubble units) is on the white part of the bubble: body or tail, minus the dots. */
function onBubble(p: Point): boolean {
  return (inRoundedBody(p) || inTriangle(p, TAIL)) && !inDot(p);
}

/**
 * Renders the bubble into a size×size image whose bubble box spans `margin`..`1 - margin` of the image.
 * Returns, per pixel, the share of samples (0..1) that fall on the bubble.
 */
function coverage(size: number, margin: number): Float64Array {
  const out = new Float64Array(size * size);
  const box = 1 - 2 * margin;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLING; sy++) {
        for (let sx = 0; sx < SUPERSAMPLING; sx++) {
          const u = (px + (sx + 0.5) / SUPERSAMPLING) / size;
          const v = (py + (sy + 0.5) / SUPERSAMPLING) / size;
          if (onBubble({ x: (u - margin) / box, y: (v - margin) / box })) hits++;
        }
      }
      out[py * size + px] = hits / SUPERSAMPLING ** 2;
    }
  }
  return out;
}

/** 192×192: the accent colour everywhere, the white bubble blended in by coverage. */
function colorIcon(): Buffer {
  const size = 192;
  const cover = coverage(size, (size - 120) / 2 / size);
  const rgba = new Uint8Array(size * size * 4);
  cover.forEach((c, i) => {
    rgba[i * 4] = Math.round(ACCENT.r + (WHITE.r - ACCENT.r) * c);
    rgba[i * 4 + 1] = Math.round(ACCENT.g + (WHITE.g - ACCENT.g) * c);
    rgba[i * 4 + 2] = Math.round(ACCENT.b + (WHITE.b - ACCENT.b) * c);
    rgba[i * 4 + 3] = 255;
  });
  return encodePng(size, size, rgba);
}

/** 32×32: white everywhere, the bubble's coverage as alpha (transparent around it and in the dots). */
function outlineIcon(): Buffer {
  const size = 32;
  const cover = coverage(size, 1.5 / size);
  const rgba = new Uint8Array(size * size * 4);
  cover.forEach((c, i) => {
    rgba.set([WHITE.r, WHITE.g, WHITE.b, Math.round(255 * c)], i * 4);
  });
  return encodePng(size, size, rgba);
}

export function renderIcons(): { color: Buffer; outline: Buffer } {
  return { color: colorIcon(), outline: outlineIcon() };
}

if (require.main === module) {
  const { color, outline } = renderIcons();
  for (const [name, png] of [
    ['color.png', color],
    ['outline.png', outline],
  ] as const) {
    const file = path.join(__dirname, name);
    writeFileSync(file, png);
    console.log(`${file} (${png.length} bytes)`);
  }
}
