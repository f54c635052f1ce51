import { isBigIntType, type Tensor, type TensorData } from '../../serving/tensors/tensor.js';

/** An infer answer ready to write: the JSON object, then the binary outputs' bytes (views, no copy). */
export interface EncodedResponse {
  json: Buffer;
  binary: Uint8Array[];
  /** `Inference-Header-Content-Length` and `application/octet-stream` when some output is binary. */
  headerLength: number | null;
  contentLength: number;
}

/**
 * The Open Inference Protocol's infer response: each output as JSON `data` or, with the binary
 * tensor data extension, as `parameters.binary_data_size` and its raw little-endian bytes after
 * the JSON, in output order.
 */
export function encodeInferResponse(
  model: { name: string; version: string },
  id: string,
  outputs: readonly Tensor[],
  binaryOutputs: readonly boolean[],
): EncodedResponse {
  const binary: Uint8Array[] = [];
  const described = outputs.map((output, i) => {
    const { name, datatype, shape } = output;
    if (!binaryOutputs[i]) return { name, datatype, shape, data: jsonData(output) };
    const bytes = new Uint8Array(output.data.buffer, output.data.byteOffset, output.data.byteLength);
    binary.push(bytes);
    return { name, datatype, shape, parameters: { binary_data_size: bytes.byteLength } };
  });
  const json = Buffer.from(JSON.stringify({ model_name: model.name, model_version: model.version, id, outputs: described }));
  const binaryLength = binary.reduce((sum, bytes) => sum + bytes.byteLength, 0);
  return { json, binary, headerLength: binary.length > 0 ? json.length : null, contentLength: json.length + binaryLength };
}

/** JSON numbers (BOOL: true/false). 64-bit integers past 2^53 lose precision, as in any JSON number. */
function jsonData(tensor: Tensor): Array<number | boolean> {
  const data: TensorData = tensor.data;
  if (tensor.datatype === 'BOOL') return Array.from(data as Uint8Array, (value) => value !== 0);
  if (isBigIntType(tensor.datatype)) return Array.from(data as BigInt64Array, (value) => Number(value));
  return Array.from(data as Float32Array);
}
