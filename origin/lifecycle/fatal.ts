// An error nothing caught ends the process, as Node's default does, but its report goes through
// the redactor first: Node would print every property of the error, and a URL parser's error
// carries the whole URL, password included.
import { envUrls, fatalReport, type Redactor, redactor, urlPasswords } from '../log/redact.js';

/** Installs the handlers; returns the redactor for messages the caller prints itself. */
export function exitOnFatalErrors(env: NodeJS.ProcessEnv = process.env): Redactor {
  const redact = redactor(urlPasswords(envUrls(env)));
  const fatal = (err: unknown) => {
    console.error(fatalReport(err, redact));
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  return redact;
}
