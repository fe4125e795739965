// The basic tier's stylesheet: a few bytes of CSS level 1 that old browsers ignore gracefully.
export const BASIC_CSS =
  'body{margin:2px;font-size:small}h1{font-size:medium;margin:2px 0}.m{color:#666}.e{color:#c00}';
