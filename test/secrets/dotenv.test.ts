/**
 * The dotenv reader of decrypted age files: the shapes dotenv files take, and text that is not
 * dotenv (a YAML map, a bare token) refused whole rather than half-read.
 */
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/io/secrets/dotenv.js';

describe('parseDotenv', () => {
  it('reads export, spaces around =, comments, empty values and CRLF line ends', () => {
    expect(parseDotenv('# c\r\nexport A=1\r\n  B = two words  \r\nC=\r\nD=x # note\r\nE=x#not-a-comment\r\n')).toEqual({ A: '1', B: 'two words', C: '', D: 'x', E: 'x#not-a-comment' });
  });

  it('keeps single quotes literal and reads double-quoted escapes and values over several lines', () => {
    expect(parseDotenv(`A='a \\n $b'\nB="a\\nb \\"q\\" \\\\"\nC="first\nsecond" # c\nD=after\n`)).toEqual({ A: 'a \\n $b', B: 'a\nb "q" \\', C: 'first\nsecond', D: 'after' });
  });

  it('the last of a repeated name wins, as dotenv loaders do', () => {
    expect(parseDotenv('A=1\nA=2\n')).toEqual({ A: '2' });
  });

  it.each([
    ['a YAML map', 'db:\n  password: x\n'],
    ['a bare token', 'just-a-token\n'],
    ['an unclosed quote', 'A="open\n'],
    ['text after a closing quote', 'A="x" y\n'],
  ])('refuses %s', (_, text) => {
    expect(parseDotenv(text)).toBeUndefined();
  });
});
