export interface TextWord {
  text: string;
  charStart: number;
  charEnd: number;
  sentence: number;
  // What follows the word up to the next word (spaces, punctuation): Kokoro speaks punctuation as pauses.
  trailing: string;
}

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });
const words = new Intl.Segmenter('en', { granularity: 'word' });

// Words with their character offsets into the original text, numbered by sentence.
export function splitWords(text: string): TextWord[] {
  const found: TextWord[] = [];
  let sentence = 0;
  for (const s of sentences.segment(text)) {
    let wordsInSentence = 0;
    for (const w of words.segment(s.segment)) {
      if (!w.isWordLike) continue;
      const charStart = s.index + w.index;
      found.push({
        text: w.segment,
        charStart,
        charEnd: charStart + w.segment.length,
        sentence,
        trailing: '',
      });
      wordsInSentence += 1;
    }
    if (wordsInSentence > 0) sentence += 1;
  }
  found.forEach((word, i) => {
    word.trailing = text.slice(word.charEnd, found[i + 1]?.charStart ?? text.length);
  });
  return found;
}
