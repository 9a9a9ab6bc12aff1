import DutchStemmer from './dutch-stemmer.js';
import EnglishStemmer from './english-stemmer.js';
const nl = new DutchStemmer(), en = new EnglishStemmer();
export { DutchStemmer, EnglishStemmer };
export function stem(lang, word) { return (lang === 'nl' ? nl : en).stemWord(word); }
