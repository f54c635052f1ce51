import {
  ATTRIBUTE_FLOAT,
  ATTRIBUTE_INT,
  ATTRIBUTE_INTS,
  ATTRIBUTE_STRING,
  TENSOR_FLOAT,
  type AttributeProto,
  type Dimension,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './onnx-proto.js';

export const OPSET_VERSION = 17;
/** IR version 8 is the one that goes with opset 17. */
export const IR_VERSION = 8;

export type AttributeValue = number | string | number[];
/** Attribute values: a float where a float is meant, so floats are marked explicitly. */
export type Attributes = Record<string, AttributeValue | { float: number }>;

function toAttribute(name: string, value: AttributeValue | { float: number }): AttributeProto {
  if (typeof value === 'string') {
    return { name, type: ATTRIBUTE_STRING, s: new TextEncoder().encode(value) };
  }
  if (Array.isArray(value)) return { name, type: ATTRIBUTE_INTS, ints: value };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer`);
    return { name, type: ATTRIBUTE_INT, i: value };
  }
  return { name, type: ATTRIBUTE_FLOAT, f: value.float };
}

function floatTensor(name: string, dims: number[], data: Float32Array): TensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`${name}: ${data.length} values for dims [${dims}]`);
  // raw_data is little-endian; copy through a DataView so the host's byte order does not matter.
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims, dataType: TENSOR_FLOAT, rawData: raw };
}

function floatValueInfo(name: string, dims: (number | string)[]): ValueInfoProto {
  const dim: Dimension[] = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: TENSOR_FLOAT, shape: { dim } } } };
}

/** Collects nodes and float initializers, then emits an opset-17 ModelProto. */
export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly names = new Set<string>();

  /** Adds a float32 constant; returns its name. */
  constant(name: string, dims: number[], data: Float32Array): string {
    this.claim(name);
    this.initializers.push(floatTensor(name, dims, data));
    return name;
  }

  /** Adds a node with one output named `output`; returns that name. */
  node(opType: string, inputs: string[], output: string, attributes: Attributes = {}): string {
    this.claim(output);
    this.nodes.push({
      name: output,
      opType,
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([k, v]) => toAttribute(k, v)),
    });
    return output;
  }

  build(options: {
    name: string;
    input: { name: string; dims: (number | string)[] };
    output: { name: string; dims: (number | string)[] };
    docString: string;
    metadata: Record<string, string>;
  }): ModelProto {
    return {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET_VERSION }],
      producerName: '@dlserve/model-converter',
      producerVersion: '0.1.0',
      docString: options.docString,
      metadataProps: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: options.name,
        node: this.nodes,
        initializer: this.initializers,
        input: [floatValueInfo(options.input.name, options.input.dims)],
        output: [floatValueInfo(options.output.name, options.output.dims)],
      },
    };
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`duplicate tensor name ${name}`);
    this.names.add(name);
  }
}
