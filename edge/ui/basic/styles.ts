// The basic tier's stylesheet: a few bytes of CSS level 1 that old browsers ignore gracefully.
// Form fields never get wider than the screen (128-240 px phones).
export const BASIC_CSS =
  'body{margin:2px;font-size:small}h1{font-size:medium;margin:2px 0}.m{color:#666}.e{color:#c00}textarea,input,select{max-width:95%}';
