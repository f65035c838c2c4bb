/** The colours offered for a new tag (the core picks the same ones in turn when none is given). */
export const TAG_COLORS_UI = [
  '#1f6feb',
  '#2da44e',
  '#bf3989',
  '#d1242f',
  '#9a6700',
  '#8250df',
  '#0a7d8c',
  '#57606a',
];
