// Times ONNX Runtime (onnxruntime-node, CPU) on one .onnx model and one token
// sequence, for tools/bench_vs_onnxruntime.py.
//
// usage: node ort_bench.mjs --ort DIR --model M.onnx --ids IDS.json --threads N
//                           [--warmup W] [--repeat R] [--dump OUTDIR]
//   --ort DIR     the installed onnxruntime-node package directory
//   --ids FILE    a JSON list of token ids, fed as int64 [1, T]
//   --dump OUTDIR also write every output as OUTDIR/NAME.f32 (raw little-endian
//                 float32) plus OUTDIR/outputs.json (names and dims)
//
// One session (intraOpNumThreads N, interOpNumThreads 1, sequential,
// graph optimisation 'all'); W untimed runs, then R timed runs, each fetching
// every graph output. Prints one JSON line on stdout:
//   {"runs", "median_ms", "min_ms", "cpu_ms_per_run", "times_ms", "ort_version", ...}
// cpu_ms_per_run is process.cpuUsage() (user + system, all threads) over the
// timed loop divided by R.

import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

function parseArgs(argv) {
  const args = { warmup: 3, repeat: 20, threads: 1 };
  for (let k = 0; k < argv.length; k += 2) {
    const key = argv[k].replace(/^--/, '');
    if (argv[k + 1] === undefined) throw new Error(`missing value for ${argv[k]}`);
    args[key] = argv[k + 1];
  }
  for (const key of ['ort', 'model', 'ids']) if (!args[key]) throw new Error(`--${key} is required`);
  for (const key of ['warmup', 'repeat', 'threads']) args[key] = Number(args[key]);
  return args;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
};

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const require = createRequire(import.meta.url);
  const ort = require(args.ort);
  const version = JSON.parse(readFileSync(join(args.ort, 'package.json'), 'utf8')).version;

  const session = await ort.InferenceSession.create(args.model, {
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const ids = JSON.parse(readFileSync(args.ids, 'utf8'));
  const feeds = {
    [session.inputNames[0]]: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
  };

  let out;
  for (let k = 0; k < args.warmup; ++k) out = await session.run(feeds);
  const times = [];
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < args.repeat; ++k) {
    const start = process.hrtime.bigint();
    out = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const cpu = process.cpuUsage(cpu0);

  if (args.dump) {
    mkdirSync(args.dump, { recursive: true });
    const meta = {};
    for (const name of session.outputNames) {
      const t = out[name];
      writeFileSync(join(args.dump, `${name}.f32`), Buffer.from(Float32Array.from(t.data).buffer));
      meta[name] = t.dims;
    }
    writeFileSync(join(args.dump, 'outputs.json'), JSON.stringify(meta));
  }
  console.log(JSON.stringify({
    runs: times.length,
    tokens: ids.length,
    threads: args.threads,
    median_ms: median(times),
    min_ms: Math.min(...times),
    cpu_ms_per_run: (cpu.user + cpu.system) / 1000 / args.repeat,
    times_ms: times,
    ort_version: version,
    outputs: session.outputNames,
  }));
}

main().catch((e) => {
  console.error(`ort_bench: ${e.stack || e}`);
  process.exit(1);
});
