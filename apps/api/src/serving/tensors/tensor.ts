/**
 * Tensors as the serving core passes them between a protocol adapter (the V2 REST API) and a
 * model's worker: named, typed by the Open Inference Protocol's datatype names, row-major. The
 * data is a typed array, often a view into the request's body (no copy).
 */

/** The datatypes dlserve can feed to and read from a model (the protocol's names). */
export const DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP32', 'FP64'] as const;
export type DataType = (typeof DATATYPES)[number];

export type TensorData =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

type TypedArrayConstructor = {
  new (length: number): TensorData;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData;
  readonly BYTES_PER_ELEMENT: number;
};

/** Each datatype's typed array (BOOL: one byte per element, 0 or 1). */
export const TYPED_ARRAY: Record<DataType, TypedArrayConstructor> = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  UINT64: BigUint64Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP32: Float32Array,
  FP64: Float64Array,
} as unknown as Record<DataType, TypedArrayConstructor>;

export function isDataType(value: unknown): value is DataType {
  return typeof value === 'string' && (DATATYPES as readonly string[]).includes(value);
}

export function elementSize(datatype: DataType): number {
  return TYPED_ARRAY[datatype].BYTES_PER_ELEMENT;
}

/** Whether the datatype's elements are 64-bit integers (BigInt in JavaScript). */
export function isBigIntType(datatype: DataType): boolean {
  return datatype === 'INT64' || datatype === 'UINT64';
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((count, dim) => count * dim, 1);
}

export interface Tensor {
  name: string;
  datatype: DataType;
  shape: number[];
  data: TensorData;
}

/** An input or output as the model declares it: -1 for a dynamic dimension. */
export interface TensorMetadata {
  name: string;
  /** The protocol's name, or the runtime's own for a type dlserve cannot feed (`string`, `float16`). */
  datatype: DataType | string;
  shape: number[];
}

/** A model's main session's inputs and outputs, reported by its worker once it is ready. */
export interface ModelSignature {
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

/** Marks a unit of work that carries tensors for the model's main session (not a task's image). */
export const TENSOR_UNIT = 'dlserve:tensors';

/** A request's tensors on their way to a worker: its inputs, and which outputs it wants. */
export interface TensorUnit {
  [TENSOR_UNIT]: true;
  inputs: Tensor[];
  outputs: string[];
}

export function isTensorUnit(input: unknown): input is TensorUnit {
  return typeof input === 'object' && input !== null && TENSOR_UNIT in input;
}

/** A unit that cannot batch keeps one key of its own (the scheduler asks for it more than once). */
const aloneKeys = new WeakMap<TensorUnit, string>();
let unbatchable = 0;

/**
 * Units that may run as one tensor share a key: the same inputs with the same datatypes and the
 * same shapes beyond dim 0, and the same outputs. Image units never share one with them. A unit
 * runs alone (a key of its own) when the model's inputs do not all have a dynamic dim 0, or its
 * inputs differ in dim 0: there is then no batch dimension to stack them along.
 */
export function tensorBatchKey(unit: TensorUnit, signature: ModelSignature | null): string {
  const batchable =
    signature !== null &&
    signature.inputs.every((input) => input.shape[0] === -1) &&
    signature.outputs.every((output) => output.shape[0] === -1) &&
    unit.inputs.every((input) => input.shape.length > 0 && input.shape[0] === unit.inputs[0]!.shape[0]);
  if (!batchable) {
    let key = aloneKeys.get(unit);
    if (key === undefined) aloneKeys.set(unit, (key = `tensors|alone|${unbatchable++}`));
    return key;
  }
  const inputs = unit.inputs.map((input) => `${input.name}:${input.datatype}[${input.shape.slice(1).join(',')}]`);
  return `tensors|${inputs.join('|')}|${unit.outputs.join(',')}`;
}
