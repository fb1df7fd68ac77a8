/**
 * Splits text into pieces of at most `max` UTF-16 code units without cutting a surrogate pair,
 * so each piece fits one Notion text object. "" gives []. Joining the pieces gives the text back.
 *
 * @example splitText("a".repeat(4500), 2000).map((p) => p.length) // [2000, 2000, 500]
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff && end - 1 > start) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
