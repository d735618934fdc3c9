// A value's text for downloads: as the source file wrote it, less binary floating-point noise.
// Some intermediaries (scripts that converted units before lacuna bundled their files) printed
// doubles in full: "3120.6549999999997" for what the publisher wrote as 3120.655. Such text is
// rounded to 12 significant digits, which undoes that noise (it sits in the 16th or 17th digit)
// and changes no figure a publisher prints; any other text is kept exactly, trailing zeros too.

const NOISY = /^-?\d+\.\d+$/;

/** The text without float noise: only text of 15 or more significant digits that rounds cleanly to 12. */
export function withoutFloatNoise(text: string): string {
  if (!NOISY.test(text)) return text;
  const digits = text.replace(/^-?0*\.?0*/, '').replace('.', '').length;
  if (digits < 15) return text;
  const rounded = Number(Number(text).toPrecision(12));
  const out = String(rounded);
  // Only noise: the rounded value is within a millionth of a millionth of the written one.
  const written = Number(text);
  return rounded !== written && Math.abs(rounded - written) <= Math.abs(written) * 1e-12 && out.length < text.length ? out : text;
}
