/**
 * The few messages of onnx.proto3 that a converted model needs, as a protobufjs descriptor.
 * Field numbers are ONNX's (github.com/onnx/onnx/blob/main/onnx/onnx.proto3); fields we never
 * write are left out, which protobuf allows.
 */
import protobuf from 'protobufjs';

export const TENSOR_FLOAT = 1;
export const TENSOR_INT64 = 7;

export const ATTRIBUTE_FLOAT = 1;
export const ATTRIBUTE_INT = 2;
export const ATTRIBUTE_STRING = 3;
export const ATTRIBUTE_INTS = 7;

export interface TensorProto {
  name: string;
  dims: number[];
  dataType: number;
  /** Little-endian element bytes. */
  rawData: Uint8Array;
}

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  ints?: number[];
}

export interface NodeProto {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
}

/** A dimension is a fixed size or a symbolic name (a dynamic axis). */
export type Dimension = { dimValue: number } | { dimParam: string };

export interface ValueInfoProto {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: Dimension[] } } };
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
}

export interface ModelProto {
  irVersion: number;
  opsetImport: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString: string;
  graph: GraphProto;
  metadataProps: { key: string; value: string }[];
}

const descriptor: protobuf.INamespace = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { id: 1, type: 'int64' },
            producerName: { id: 2, type: 'string' },
            producerVersion: { id: 3, type: 'string' },
            docString: { id: 6, type: 'string' },
            graph: { id: 7, type: 'GraphProto' },
            opsetImport: { id: 8, type: 'OperatorSetIdProto', rule: 'repeated' },
            metadataProps: { id: 14, type: 'StringStringEntryProto', rule: 'repeated' },
          },
        },
        StringStringEntryProto: {
          fields: { key: { id: 1, type: 'string' }, value: { id: 2, type: 'string' } },
        },
        OperatorSetIdProto: {
          fields: { domain: { id: 1, type: 'string' }, version: { id: 2, type: 'int64' } },
        },
        GraphProto: {
          fields: {
            node: { id: 1, type: 'NodeProto', rule: 'repeated' },
            name: { id: 2, type: 'string' },
            initializer: { id: 5, type: 'TensorProto', rule: 'repeated' },
            input: { id: 11, type: 'ValueInfoProto', rule: 'repeated' },
            output: { id: 12, type: 'ValueInfoProto', rule: 'repeated' },
          },
        },
        NodeProto: {
          fields: {
            input: { id: 1, type: 'string', rule: 'repeated' },
            output: { id: 2, type: 'string', rule: 'repeated' },
            name: { id: 3, type: 'string' },
            opType: { id: 4, type: 'string' },
            attribute: { id: 5, type: 'AttributeProto', rule: 'repeated' },
          },
        },
        AttributeProto: {
          fields: {
            name: { id: 1, type: 'string' },
            f: { id: 2, type: 'float' },
            i: { id: 3, type: 'int64' },
            s: { id: 4, type: 'bytes' },
            ints: { id: 8, type: 'int64', rule: 'repeated' },
            type: { id: 20, type: 'int32' },
          },
        },
        TensorProto: {
          fields: {
            dims: { id: 1, type: 'int64', rule: 'repeated' },
            dataType: { id: 2, type: 'int32' },
            name: { id: 8, type: 'string' },
            rawData: { id: 9, type: 'bytes' },
          },
        },
        ValueInfoProto: {
          fields: { name: { id: 1, type: 'string' }, type: { id: 2, type: 'TypeProto' } },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType'] } },
          fields: { tensorType: { id: 1, type: 'TypeProtoTensor' } },
        },
        TypeProtoTensor: {
          fields: {
            elemType: { id: 1, type: 'int32' },
            shape: { id: 2, type: 'TensorShapeProto' },
          },
        },
        TensorShapeProto: {
          fields: { dim: { id: 1, type: 'TensorShapeDimension', rule: 'repeated' } },
        },
        TensorShapeDimension: {
          oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
          fields: {
            dimValue: { id: 1, type: 'int64' },
            dimParam: { id: 2, type: 'string' },
          },
        },
      },
    },
  },
};

const modelType = protobuf.Root.fromJSON(descriptor).lookupType('onnx.ModelProto');

export function encodeModel(model: ModelProto): Uint8Array {
  return modelType.encode(modelType.fromObject(model)).finish();
}

/** The inverse of encodeModel, for tests: plain objects, int64 as numbers, bytes as Uint8Array. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const message = modelType.decode(bytes);
  return modelType.toObject(message, { longs: Number, defaults: true, arrays: true }) as ModelProto;
}
