// The V8 flags every origin process runs with (npm start, npm run origin, the benchmarks; the
// package.json scripts repeat them, as they cannot import this).
//
// A young generation of 64 MB semi-spaces instead of 16: fan-out and the write path allocate
// short-lived objects at a high rate (command buffers, rows, refs), and with small semi-spaces
// V8 scavenged often enough to take about a tenth of the origin's CPU in the fanout bench; at
// 64 MB it took about a sixteenth (BENCH_CPU_PROFILE, test/bench/fanout.ts). It costs up to
// ~150 MB more resident memory per process.
export const ORIGIN_NODE_FLAGS = ['--max-semi-space-size=64'];
