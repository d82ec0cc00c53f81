// Each opening quote and the quote that closes it. Phones type “…” and ‘…’ (smart punctuation is on by default
// on iOS), so a Slack user on a phone quotes that way; a lone ’ is an apostrophe and stays in the word.
const closingQuote: Readonly<Record<string, string>> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

/**
 * Splits what a user typed after `/steward` (or at the console prompt) into words, as a shell would for
 * simple quoting: spaces separate words, and '…', "…", ‘…’ or “…” keep spaces inside one. Returns null for
 * an unclosed quote.
 */
export function splitCommandLine(line: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | null = null;
  for (const ch of line) {
    if (quote !== null) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (closingQuote[ch] !== undefined) {
      quote = closingQuote[ch];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== null) return null;
  if (inWord) words.push(word);
  return words;
}
