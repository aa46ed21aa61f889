import { describe, expect, it } from 'vitest';
import { applyEdits, type Edit } from '../../src/hcl/edits.js';
import { insertJsonAttribute, removeJsonAttribute, updateJsonValue } from '../../src/hcl/json-edits.js';
import { parseTfvars, type TfvarsDocument } from '../../src/hcl/tfvars.js';

function edit(text: string, make: (doc: TfvarsDocument) => Edit[]): string {
  const out = applyEdits(text, make(parseTfvars(text, { json: true })));
  expect(parseTfvars(out, { json: true }).diagnostics).toEqual([]);
  return out;
}

const TWO_SPACES = '{\n  "a": 1,\n  "b": [1, 2],\n  "c": "x"\n}\n';

describe('updateJsonValue', () => {
  it('replaces only the value, in the file indentation', () => {
    expect(edit(TWO_SPACES, (doc) => updateJsonValue(doc, 'a', 2))).toBe(TWO_SPACES.replace('"a": 1', '"a": 2'));
    expect(edit(TWO_SPACES, (doc) => updateJsonValue(doc, 'c', { k: [1] }))).toBe(
      '{\n  "a": 1,\n  "b": [1, 2],\n  "c": {\n    "k": [\n      1\n    ]\n  }\n}\n',
    );
  });

  it('keeps tabs, CRLF and a one-line layout', () => {
    expect(edit('{\r\n\t"a": 1\r\n}', (doc) => updateJsonValue(doc, 'a', [true]))).toBe('{\r\n\t"a": [\r\n\t\ttrue\r\n\t]\r\n}');
    expect(edit('{"a": 1, "b": 2}', (doc) => updateJsonValue(doc, 'a', { x: 'y' }))).toBe('{"a": {"x":"y"}, "b": 2}');
  });

  it('refuses a name the file does not set', () => {
    expect(() => updateJsonValue(parseTfvars('{"a": 1}', { json: true }), 'b', 1)).toThrow('no variable "b" to edit');
  });
});

describe('insertJsonAttribute', () => {
  it('adds the property after the last one, leaving the others as written', () => {
    expect(edit(TWO_SPACES, (doc) => insertJsonAttribute(doc, 'd', ['p', 'q']))).toBe(
      '{\n  "a": 1,\n  "b": [1, 2],\n  "c": "x",\n  "d": [\n    "p",\n    "q"\n  ]\n}\n',
    );
  });

  it('keeps CRLF, four-space indentation and a missing final newline', () => {
    expect(edit('{\r\n    "a": 1\r\n}', (doc) => insertJsonAttribute(doc, 'b', 2))).toBe('{\r\n    "a": 1,\r\n    "b": 2\r\n}');
  });

  it('follows a one-line object, and fills an empty one', () => {
    expect(edit('{"a":1}\n', (doc) => insertJsonAttribute(doc, 'b', 'x'))).toBe('{"a":1, "b": "x"}\n');
    expect(edit('{}\n', (doc) => insertJsonAttribute(doc, 'b', 'x'))).toBe('{\n  "b": "x"\n}\n');
    expect(edit('{\r\n}', (doc) => insertJsonAttribute(doc, 'b', 1))).toBe('{\r\n  "b": 1\r\n}');
  });

  it('refuses an existing name', () => {
    expect(() => insertJsonAttribute(parseTfvars('{"a": 1}', { json: true }), 'a', 1)).toThrow(/already set/);
  });
});

describe('removeJsonAttribute', () => {
  it('removes a property with its line and separator', () => {
    expect(edit(TWO_SPACES, (doc) => removeJsonAttribute(doc, 'a'))).toBe('{\n  "b": [1, 2],\n  "c": "x"\n}\n');
    expect(edit(TWO_SPACES, (doc) => removeJsonAttribute(doc, 'b'))).toBe('{\n  "a": 1,\n  "c": "x"\n}\n');
    expect(edit(TWO_SPACES, (doc) => removeJsonAttribute(doc, 'c'))).toBe('{\n  "a": 1,\n  "b": [1, 2]\n}\n');
  });

  it('handles one-line objects and the only property', () => {
    expect(edit('{"a": 1, "b": 2}', (doc) => removeJsonAttribute(doc, 'a'))).toBe('{"b": 2}');
    expect(edit('{"a": 1, "b": 2}', (doc) => removeJsonAttribute(doc, 'b'))).toBe('{"a": 1}');
    expect(edit('{\n  "a": 1\n}\n', (doc) => removeJsonAttribute(doc, 'a'))).toBe('{\n}\n');
  });
});
