// Reads a .tflite with the oracle's own minimal flatbuffer reader (../shared/oracle/tflite_fb.mjs), independent
// of quantlens's schema and generated code, and prints what quantlens's `inspect --json` must agree with.
// usage: node independent_inspect.mjs ORACLE_DIR MODEL.tflite
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [oracleDir, modelPath] = process.argv.slice(2);
const { parseModel } = await import(pathToFileURL(path.join(oracleDir, 'tflite_fb.mjs')).href);
const p = parseModel(new Uint8Array(fs.readFileSync(modelPath)));
const out = {
  opcodes: p.opcodes,
  subgraphs: p.subgraphs.map(sg => ({
    inputs: sg.inputs, outputs: sg.outputs,
    tensors: sg.tensors.map(t => ({ index: t.index, name: t.name, dtype: t.dtype, shape: t.shape, buffer: t.buffer,
      scale: t.scale, zero_point: t.zero_point, quantized_dimension: t.quantized_dimension, constant: t.constant })),
    operators: sg.operators.map(o => ({ opcode: o.opcode, inputs: o.inputs, outputs: o.outputs })),
  })),
  signatures: p.signatures,
};
process.stdout.write(JSON.stringify(out));
