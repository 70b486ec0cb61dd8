/**
 * GitHub-style identicons: a 5x5 grid, mirrored left to right, drawn in one colour on a
 * light background. Everything written into the SVG is a number computed from the hash,
 * never a piece of the input string, so the markup cannot be injected into.
 */

const HASH = /^[0-9a-f]{32}$/;
const GRID = 5;
/** Columns decided by the hash; the other two mirror the first two. */
const HALF = Math.ceil(GRID / 2);
const BACKGROUND = '#f0f0f0';

function nibbles(hash: string): number[] {
  if (!HASH.test(hash)) throw new RangeError('identicon hash must be 32 lowercase hex digits');
  return Array.from(hash, (digit) => Number.parseInt(digit, 16));
}

/** HSL (degrees, percent, percent) to `#rrggbb`, which every SVG renderer understands. */
function hslToHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/**
 * The colour comes from the last seven nibbles, as in GitHub's identicons: 12 bits of
 * hue, then small shifts of saturation and lightness so that no two look washed out.
 */
function foreground(digits: number[]): string {
  const tail = digits.slice(-7);
  const hue = (((tail[0] << 8) | (tail[1] << 4) | tail[2]) / 4095) * 360;
  const saturation = 65 - (((tail[3] << 4) | tail[4]) / 255) * 20;
  const lightness = 55 - (((tail[5] << 4) | tail[6]) / 255) * 20;
  return hslToHex(hue, saturation, lightness);
}

/** One `M x y h1 v1 h-1z` square per filled cell, so the whole pattern is one path. */
function cellsPath(digits: number[]): string {
  const squares: string[] = [];
  for (let column = 0; column < HALF; column++) {
    for (let row = 0; row < GRID; row++) {
      // An even nibble fills the cell; the first 15 nibbles decide the 15 free cells.
      if (digits[column * GRID + row] % 2 !== 0) continue;
      squares.push(`M${column} ${row}h1v1h-1z`);
      const mirror = GRID - 1 - column;
      if (mirror !== column) squares.push(`M${mirror} ${row}h1v1h-1z`);
    }
  }
  return squares.join('');
}

/** A deterministic identicon for an MD5 hex digest, `size` pixels square. */
export function identiconSvg(hash: string, size: number): string {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError('identicon size must be a positive integer');
  }
  const digits = nibbles(hash);
  const path = cellsPath(digits);
  // Half a cell of margin on every side, like GitHub's.
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" ` +
    `viewBox="-0.5 -0.5 6 6" shape-rendering="crispEdges">` +
    `<rect x="-0.5" y="-0.5" width="6" height="6" fill="${BACKGROUND}"/>` +
    (path ? `<path fill="${foreground(digits)}" d="${path}"/>` : '') +
    '</svg>'
  );
}
