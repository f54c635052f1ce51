import { AppError } from '../../platform/errors/app-error.js';
import {
  TENSOR_UNIT,
  TYPED_ARRAY,
  elementCount,
  elementSize,
  isBigIntType,
  isDataType,
  type DataType,
  type ModelSignature,
  type Tensor,
  type TensorData,
  type TensorMetadata,
  type TensorUnit,
} from '../../serving/tensors/tensor.js';

/**
 * An Open Inference Protocol (KServe V2) infer request, read and checked against the model's
 * signature: the JSON object, then (binary tensor data extension) the raw tensors after it, in
 * input order. Pure: every mistake is a 400 that says what is wrong.
 */
export interface InferRequest {
  id?: string;
  unit: TensorUnit;
  /** Per output asked for (in `unit.outputs`' order): answer it as binary data. */
  binaryOutputs: boolean[];
}

type Json = Record<string, unknown>;

const bad = (message: string): AppError => new AppError('bad_request', message);

/**
 * `body`: the whole request body; `headerLength`: the `Inference-Header-Content-Length` header
 * (undefined: the body is all JSON). Binary tensors are views into `body` where their offset is
 * aligned for their type, else copies.
 */
export function parseInferRequest(body: Uint8Array, headerLength: string | undefined, signature: ModelSignature): InferRequest {
  const jsonLength = parseHeaderLength(headerLength, body.length);
  const request = parseJson(body.subarray(0, jsonLength));
  const id = request.id;
  if (id !== undefined && typeof id !== 'string') throw bad("'id' must be a string.");
  const parameters = parametersOf(request, 'the request');
  if (!Array.isArray(request.inputs) || request.inputs.length === 0) throw bad("'inputs' must be a non-empty array of tensors.");

  const declared = new Map(signature.inputs.map((input) => [input.name, input]));
  const seen = new Set<string>();
  let offset = jsonLength;
  const inputs = request.inputs.map((value: unknown, index): Tensor => {
    const input = asObject(value, `inputs[${index}]`);
    const { name, shape, datatype } = input;
    if (typeof name !== 'string') throw bad(`inputs[${index}].name must be a string.`);
    const model = declared.get(name);
    if (!model) throw bad(`The model has no input '${name}'; its inputs are ${names(signature.inputs)}.`);
    if (seen.has(name)) throw bad(`The input '${name}' is given twice.`);
    seen.add(name);
    checkShape(name, shape, model);
    if (!isDataType(datatype) || datatype !== model.datatype) {
      throw bad(`The input '${name}' has datatype ${JSON.stringify(datatype)}; the model takes ${model.datatype}.`);
    }
    const count = elementCount(shape);
    const binarySize = parametersOf(input, `input '${name}'`).binary_data_size;
    if (binarySize === undefined) {
      if (input.data === undefined) throw bad(`The input '${name}' has no 'data' (nor parameters.binary_data_size for binary data).`);
      return { name, datatype, shape, data: fromJson(name, input.data, datatype, count) };
    }
    if (input.data !== undefined) throw bad(`The input '${name}' gives both 'data' and parameters.binary_data_size.`);
    if (headerLength === undefined) throw bad(`The input '${name}' is binary, but the request has no Inference-Header-Content-Length header.`);
    const expected = count * elementSize(datatype);
    if (binarySize !== expected) {
      throw bad(`The input '${name}' declares binary_data_size ${JSON.stringify(binarySize)}; ${datatype} of shape [${shape.join(', ')}] is ${expected} bytes.`);
    }
    if (offset + expected > body.length) throw bad(`The body ends before the binary data of the input '${name}' (${expected} bytes at ${offset}; the body has ${body.length}).`);
    const data = fromBinary(name, body, offset, count, datatype);
    offset += expected;
    return { name, datatype, shape, data };
  });
  const missing = signature.inputs.filter((input) => !seen.has(input.name));
  if (missing.length > 0) throw bad(`Missing input ${names(missing)}: the model takes ${names(signature.inputs)}.`);
  if (offset !== body.length) {
    throw bad(`The body has ${body.length - offset} byte(s) after the JSON and the binary data the inputs declare (binary_data_size).`);
  }

  const binaryOutput = flag(parameters.binary_data_output, 'parameters.binary_data_output') ?? false;
  const { outputs, binaryOutputs } = requestedOutputs(request.outputs, signature, binaryOutput);
  return { ...(id !== undefined && { id }), unit: { [TENSOR_UNIT]: true, inputs, outputs }, binaryOutputs };
}

function parseHeaderLength(header: string | undefined, bodyLength: number): number {
  if (header === undefined) return bodyLength;
  if (!/^\d+$/.test(header.trim())) throw bad(`Inference-Header-Content-Length must be a number of bytes, not ${JSON.stringify(header)}.`);
  const length = Number(header.trim());
  if (length === 0) throw bad('Inference-Header-Content-Length 0 (a raw binary request without a JSON header) is not supported: send the JSON header first.');
  if (length > bodyLength) throw bad(`Inference-Header-Content-Length is ${length}, but the body has only ${bodyLength} bytes.`);
  return length;
}

function parseJson(bytes: Uint8Array): Json {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw bad(`The request is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`);
  }
  return asObject(value, 'The request');
}

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${what} must be a JSON object.`);
  return value as Json;
}

function parametersOf(value: Json, what: string): Json {
  return value.parameters === undefined ? {} : asObject(value.parameters, `The parameters of ${what}`);
}

function flag(value: unknown, what: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw bad(`${what} must be true or false.`);
}

function names(tensors: readonly TensorMetadata[]): string {
  return tensors.map((tensor) => `'${tensor.name}'`).join(', ');
}

function checkShape(name: string, shape: unknown, model: TensorMetadata): asserts shape is number[] {
  if (!Array.isArray(shape) || !shape.every((dim) => Number.isSafeInteger(dim) && (dim as number) >= 0)) {
    throw bad(`The shape of the input '${name}' must be an array of non-negative integers.`);
  }
  const fits = shape.length === model.shape.length && model.shape.every((dim, i) => dim === -1 || dim === shape[i]);
  if (!fits) throw bad(`The input '${name}' has shape [${shape.join(', ')}]; the model takes [${model.shape.join(', ')}] (-1: any size).`);
}

/** Tensor data given as JSON: flat or nested (row-major), every element of the datatype. */
function fromJson(name: string, data: unknown, datatype: DataType, count: number): TensorData {
  if (!Array.isArray(data)) throw bad(`The data of the input '${name}' must be an array.`);
  const tensor = new TYPED_ARRAY[datatype](count);
  const element = elementReader(name, datatype);
  let filled = 0;
  const stack: unknown[][] = [data];
  const positions: number[] = [0];
  // Iterative, so that a deeply nested array does not overflow the stack.
  while (stack.length > 0) {
    const array = stack[stack.length - 1]!;
    const position = positions[positions.length - 1]!;
    if (position === array.length) {
      stack.pop();
      positions.pop();
      continue;
    }
    positions[positions.length - 1] = position + 1;
    const value = array[position];
    if (Array.isArray(value)) {
      stack.push(value);
      positions.push(0);
      continue;
    }
    if (filled === count) throw bad(`The input '${name}' has more than the ${count} elements its shape gives.`);
    (tensor as unknown as Array<number | bigint>)[filled++] = element(value);
  }
  if (filled !== count) throw bad(`The input '${name}' has ${filled} elements; its shape gives ${count}.`);
  return tensor;
}

const INTEGER_RANGE: Partial<Record<DataType, [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65_535],
  UINT32: [0, 4_294_967_295],
  INT8: [-128, 127],
  INT16: [-32_768, 32_767],
  INT32: [-2_147_483_648, 2_147_483_647],
};

function elementReader(name: string, datatype: DataType): (value: unknown) => number | bigint {
  const wrong = (value: unknown): AppError => bad(`The input '${name}' (${datatype}) has an element ${JSON.stringify(value)?.slice(0, 40)} that is not one.`);
  if (datatype === 'BOOL') {
    return (value) => {
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (value === 0 || value === 1) return value;
      throw wrong(value);
    };
  }
  if (datatype === 'FP32' || datatype === 'FP64') {
    return (value) => {
      if (typeof value === 'number') return value;
      throw wrong(value);
    };
  }
  if (isBigIntType(datatype)) {
    const min = datatype === 'UINT64' ? 0 : Number.MIN_SAFE_INTEGER;
    return (value) => {
      if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return BigInt(value);
      throw wrong(value);
    };
  }
  const [min, max] = INTEGER_RANGE[datatype]!;
  return (value) => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    throw wrong(value);
  };
}

/** A binary tensor: a view into the body when its offset suits the type, else a copy. Little-endian (the host's order on x86 and ARM). */
function fromBinary(name: string, body: Uint8Array, offset: number, count: number, datatype: DataType): TensorData {
  const Typed = TYPED_ARRAY[datatype];
  const start = body.byteOffset + offset;
  const data =
    start % Typed.BYTES_PER_ELEMENT === 0
      ? new Typed(body.buffer, start, count)
      : new Typed(body.slice(offset, offset + count * Typed.BYTES_PER_ELEMENT).buffer, 0, count);
  if (datatype === 'BOOL' && (data as Uint8Array).some((byte) => byte > 1)) throw bad(`The binary data of the BOOL input '${name}' has bytes other than 0 and 1.`);
  return data;
}

function requestedOutputs(value: unknown, signature: ModelSignature, binaryByDefault: boolean): { outputs: string[]; binaryOutputs: boolean[] } {
  if (value === undefined) {
    return { outputs: signature.outputs.map((output) => output.name), binaryOutputs: signature.outputs.map(() => binaryByDefault) };
  }
  if (!Array.isArray(value) || value.length === 0) throw bad("'outputs' must be a non-empty array, or left out for every output.");
  const known = new Set(signature.outputs.map((output) => output.name));
  const outputs: string[] = [];
  const binaryOutputs: boolean[] = [];
  for (const [index, each] of value.entries()) {
    const output = asObject(each, `outputs[${index}]`);
    const { name } = output;
    if (typeof name !== 'string') throw bad(`outputs[${index}].name must be a string.`);
    if (!known.has(name)) throw bad(`The model has no output '${name}'; its outputs are ${names(signature.outputs)}.`);
    if (outputs.includes(name)) throw bad(`The output '${name}' is asked for twice.`);
    outputs.push(name);
    binaryOutputs.push(flag(parametersOf(output, `output '${name}'`).binary_data, `The output '${name}''s parameters.binary_data`) ?? binaryByDefault);
  }
  return { outputs, binaryOutputs };
}
