/**
 * What redact() keeps and takes out of a store's error message (src/io/secrets/backend.ts): the
 * store's own error code survives even when it is long (ResourceNotFoundException), a value at the
 * end of a `file: password: value` chain does not, nor quoted text, `key=value` right-hand sides or
 * long tokens.
 */
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/io/secrets/backend.js';

describe('redact', () => {
  it("keeps AWS's and sops' error codes, long as they are", () => {
    for (const code of ['ResourceNotFoundException', 'ParameterVersionNotFound', 'UnrecognizedClientException', 'InvalidSignatureException', 'CouldNotReadInputFile']) {
      expect(redact(`Secrets Manager answered ${code} (HTTP 400)`)).toContain(code);
    }
  });

  it('takes out the value at the end of a key chain, quoted text, key=value and long tokens', () => {
    const value = 'hunter2-x9';
    for (const text of [
      `Error dumping file: password: ${value}`,
      `bad value "${value}"`,
      `near password=${value}, line 3`,
      `token ${'c2VjcmV0LXZhbHVlLXRoYXQtaXMtbG9uZw=='}`,
    ]) {
      expect(redact(text)).not.toMatch(/hunter2|c2VjcmV0/);
    }
  });

  it('does not spare a long random token that merely looks like a word', () => {
    expect(redact('key Xk3vQ9pL2mN8rT5wY7zA1bC4')).not.toContain('Xk3vQ9pL2mN8rT5wY7zA1bC4');
  });
});
