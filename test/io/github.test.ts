/** The GitHub repository told from a remote's URL, in every form git accepts. */
import { describe, expect, it } from 'vitest';
import { repositoryOfUrl } from '../../src/io/github.js';

describe('repositoryOfUrl', () => {
  it.each([
    ['https://github.com/acme/infra.git', 'acme/infra'],
    ['https://github.com/acme/infra', 'acme/infra'],
    ['https://x-access-token:abc@github.com/acme/infra.git', 'acme/infra'],
    ['git@github.com:acme/infra.git', 'acme/infra'],
    ['ssh://git@github.example.com:2222/acme/infra.git', 'acme/infra'],
    ['https://github.example.com/acme/infra.git/', 'acme/infra'],
  ])('%s → %s', (url, expected) => {
    const repo = repositoryOfUrl(url);
    expect(repo && `${repo.owner}/${repo.repo}`).toBe(expected);
  });

  it.each(['/tmp/remote.git', 'file:///tmp/remote.git', 'https://github.com/acme', 'not a url'])('%s names no repository', (url) => {
    expect(repositoryOfUrl(url)).toBeUndefined();
  });
});
