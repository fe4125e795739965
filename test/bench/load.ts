// `npm run bench -- load`: the whole-system load test (test/load/) with its defaults or the LOAD_*
// environment variables; the last line is the JSON of its headline figures.
await import('../load/main.js');
