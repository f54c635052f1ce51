/** Building ONNX models in code: used by the converter, and by tests that need small models. */
export { GraphBuilder, OPSET_VERSION, type Attributes } from './graph-builder.js';
export { decodeModel, encodeModel, type ModelProto } from './onnx-proto.js';
