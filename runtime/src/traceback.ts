// Where a demo failed: the last frame of the reader's own code in a trimmed
// traceback (livedemo/_traceback.py names it `<demo>`).

const FRAME = /^\s*File "<demo>", line (\d+)/gm;

export function failingLine(traceback: string): number | null {
  let line: number | null = null;
  for (const match of traceback.matchAll(FRAME)) line = Number(match[1]);
  return line;
}
