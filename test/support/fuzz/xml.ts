// Strict XML well-formedness, as a feature phone's XHTML-MP parser needs it: saxes follows the
// XML 1.0 spec to the letter (forbidden characters, undefined entities, namespaces), unlike
// lenient validators that let control characters or &nbsp; through.
import { SaxesParser } from 'saxes';

/** null when `text` is a well-formed XML document, else what is wrong and where. */
export function xmlProblem(text: string): string | null {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let problem: string | null = null;
  parser.on('error', (err) => {
    problem ??= err.message;
  });
  try {
    parser.write(text).close();
  } catch (err) {
    problem ??= (err as Error).message;
  }
  if (!problem) return null;
  const at = /^(\d+):(\d+):/.exec(problem);
  if (!at) return problem;
  const line = text.split('\n')[Number(at[1]) - 1] ?? '';
  const column = Number(at[2]);
  return `${problem} near ${JSON.stringify(line.slice(Math.max(0, column - 60), column + 20))}`;
}
