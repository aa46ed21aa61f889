/**
 * GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::message` lines on stdout,
 * which GitHub shows as annotations on the lines of a pull request's files. Pure: text in, text out.
 */

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface AnnotationProperties {
  /** Relative to the repository's root (the workspace), as GitHub knows the file. */
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endColumn?: number;
  title?: string;
}

/**
 * One annotation, escaped as @actions/core escapes it: `%`, CR and LF in the message (a newline
 * would end the command, and what follows could be read as another), and `:` and `,` too in
 * properties, where they separate names from values and properties from each other.
 */
export function annotation(level: AnnotationLevel, properties: AnnotationProperties, message: string): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
