/**
 * Just enough YAML for action.yml, so the action's test needs no YAML dependency: block maps and
 * lists by indentation, plain and quoted scalars, `>-` and `|` block scalars (their lines trimmed), comments. It throws
 * on anything else rather than guess, so that the test notices when action.yml outgrows it.
 */
export type Yaml = string | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
}

export function parseYaml(source: string): Yaml {
  const lines: Line[] = source
    .split('\n')
    .map((raw) => ({ indent: raw.length - raw.trimStart().length, text: raw.trim() }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'));
  let at = 0;

  function block(indent: number): Yaml {
    if (lines[at]!.text.startsWith('- ')) return list(indent);
    return map(indent);
  }

  function map(indent: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    while (at < lines.length && lines[at]!.indent === indent && !lines[at]!.text.startsWith('- ')) {
      const { text } = lines[at]!;
      const match = /^([\w.-]+):(?:\s+(.*))?$/.exec(text);
      if (!match) throw new Error(`mini-yaml: cannot read "${text}"`);
      at++;
      out[match[1]!] = value(match[2], indent);
    }
    return out;
  }

  function list(indent: number): Yaml[] {
    const out: Yaml[] = [];
    while (at < lines.length && lines[at]!.indent === indent && lines[at]!.text.startsWith('- ')) {
      // `- key: value` opens a map whose keys sit two columns further in.
      lines[at] = { indent: indent + 2, text: lines[at]!.text.slice(2) };
      out.push(map(indent + 2));
    }
    return out;
  }

  function value(text: string | undefined, indent: number): Yaml {
    if (text === undefined || text === '') return at < lines.length && lines[at]!.indent > indent ? block(lines[at]!.indent) : '';
    if (text === '>-' || text === '|') {
      const parts: string[] = [];
      while (at < lines.length && lines[at]!.indent > indent) parts.push(lines[at++]!.text);
      return text === '|' ? `${parts.join('\n')}\n` : parts.join(' ');
    }
    const comment = text.search(/\s#/);
    const plain = comment >= 0 && !/^["']/.test(text) ? text.slice(0, comment).trim() : text;
    if (plain.startsWith('"')) return JSON.parse(plain) as string;
    if (plain.startsWith("'")) return plain.slice(1, -1).replace(/''/g, "'");
    if (/:\s/.test(plain)) throw new Error(`mini-yaml: a plain scalar with ": " is not YAML: "${plain}"`);
    return plain;
  }

  return block(lines[0]!.indent);
}
