'use strict';
// Runs an ONNX model in ONNX Runtime (CPU execution provider) for `dfq verify-onnx`.
// Usage: node run-model.cjs JOB.json, where JOB is
//   {model, input: raw float32 [N,C,H,W] file, shape: [N,C,H,W], batch, output: raw float32 file for
//    the outputs, optimized: where ONNX Runtime saves its optimised graph ("" = not saved),
//    optimization: "all" | "extended" | "basic" | "disabled", threads (0 = ONNX Runtime's default),
//    latency: {runs, warmup, batch} (optional: timed runs on the first images)}
// Prints one JSON line: {ort_version, output_dims, run_seconds, latency_ms}.
// Exit codes: 3 = onnxruntime-node is not installed, 2 = ONNX Runtime failed (message on stderr).
const fs = require('fs');

let ort;
try {
  ort = require('onnxruntime-node');
} catch (e) {
  console.error('DFQ_ORT_MISSING ' + e.message);
  process.exit(3);
}

function readImages(fd, first, count, per) {
  const buf = Buffer.alloc(count * per * 4);   // Buffer.alloc: its own ArrayBuffer, offset 0
  fs.readSync(fd, buf, 0, buf.length, first * per * 4);
  return new Float32Array(buf.buffer, buf.byteOffset, count * per);
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const options = {executionProviders: ['cpu'], graphOptimizationLevel: job.optimization || 'all'};
  if (job.optimized) options.optimizedModelFilePath = job.optimized;
  if (job.threads > 0) {
    options.intraOpNumThreads = job.threads;
    options.interOpNumThreads = 1;
  }
  const session = await ort.InferenceSession.create(job.model, options);
  const [N, C, H, W] = job.shape;
  const per = C * H * W;
  const inName = session.inputNames[0], outName = session.outputNames[0];
  const fin = fs.openSync(job.input, 'r');
  const fout = fs.openSync(job.output, 'w');
  let runNs = 0n;
  let dims = null;
  for (let i = 0; i < N; i += job.batch) {
    const n = Math.min(job.batch, N - i);
    const x = new ort.Tensor('float32', readImages(fin, i, n, per), [n, C, H, W]);
    const t0 = process.hrtime.bigint();
    const r = await session.run({[inName]: x});
    runNs += process.hrtime.bigint() - t0;
    const y = r[outName];
    dims = y.dims;
    fs.writeSync(fout, Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength));
  }
  fs.closeSync(fout);
  const latency = [];
  if (job.latency && job.latency.runs > 0) {
    const b = Math.max(1, Math.min(job.latency.batch || 1, N));
    const x = new ort.Tensor('float32', readImages(fin, 0, b, per), [b, C, H, W]);
    for (let k = 0; k < (job.latency.warmup ?? 10); ++k) await session.run({[inName]: x});
    for (let k = 0; k < job.latency.runs; ++k) {
      const t0 = process.hrtime.bigint();
      await session.run({[inName]: x});
      latency.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  fs.closeSync(fin);
  console.log(JSON.stringify({ort_version: ort.env.versions.common, output_dims: dims,
                              run_seconds: Number(runNs) / 1e9, latency_ms: latency}));
}

main().catch((e) => {
  console.error('DFQ_ORT_ERROR ' + (e && e.message ? e.message : String(e)));
  process.exit(2);
});
