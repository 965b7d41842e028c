/**
 * MediaPipe's selfie segmentation, as a graph that runs the model on the CPU (XNNPACK, wasm
 * SIMD) instead of WebGL: without a GPU (or without GPU access) WebGL is drawn in software and
 * one frame took 220 ms; this way it takes about 20. The nodes are those of the package's own
 * graph (its `SelfieSegmentationGpu` spelled out) with the inference done by
 * `CpuInferenceGpuOutCalculator` (in the package's wasm: XNNPACK inference whose output tensors
 * go back to the GPU, where the mask is drawn as the solution expects; with plain CPU inference
 * the mask comes back empty), so the solution's input and output (textures) are unchanged.
 *
 * Encoded here as the binary `CalculatorGraphConfig` the solution loads (field numbers from
 * mediapipe/framework/calculator.proto and each calculator's options proto).
 */

const enc = new TextEncoder()

function varint(n: number): number[] {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return out
}

type Field = number[]
const tag = (field: number, wire: number) => varint(field * 8 + wire)
const bytes = (field: number, body: ArrayLike<number>): Field => [...tag(field, 2), ...varint(body.length), ...Array.from(body)]
const text = (field: number, s: string) => bytes(field, enc.encode(s))
const int = (field: number, n: number): Field => [...tag(field, 0), ...varint(n)]
const float = (field: number, x: number): Field => [...tag(field, 5), ...new Uint8Array(new Float32Array([x]).buffer)]
const message = (field: number, ...fields: Field[]) => bytes(field, fields.flat())

interface Node {
  name?: string
  calculator: string
  inputs?: string[]
  outputs?: string[]
  inputSidePackets?: string[]
  outputSidePackets?: string[]
  /** [extension number, the options message's fields] */
  options?: [number, Field[]]
}

function node(n: Node): Field {
  return message(
    1,
    ...(n.name ? [text(1, n.name)] : []),
    text(2, n.calculator),
    ...(n.inputs ?? []).map((s) => text(3, s)),
    ...(n.outputs ?? []).map((s) => text(4, s)),
    ...(n.inputSidePackets ?? []).map((s) => text(5, s)),
    ...(n.outputSidePackets ?? []).map((s) => text(6, s)),
    ...(n.options ? [message(7, message(n.options[0], ...n.options[1]))] : [])
  )
}

const TOP_LEFT = 2
const BORDER_ZERO = 1

/** The graph: `input_frames_gpu` in, `segmentation_mask` out, for the landscape model (model selection 1). */
export function cpuSegmentationGraph(): Uint8Array<ArrayBuffer> {
  const nodes: Node[] = [
    // The solution sets the model selection through this node's name (its `modelSelection` option).
    {
      name: 'ConstantSidePacketCalculatorModelSelection',
      calculator: 'ConstantSidePacketCalculator',
      outputSidePackets: ['PACKET:model_selection'],
      options: [291214597, [message(1, int(1, 1))]]
    },
    // As in the package's graph: the solution reads `image_transformed` back and sets this node's
    // options (mirroring, for its selfie mode).
    {
      calculator: 'GlScalerCalculator',
      inputs: ['VIDEO:input_frames_gpu'],
      outputs: ['VIDEO:image_transformed'],
      options: [166373014, [int(5, 0)]]
    },
    {
      calculator: 'ImageToTensorCalculator',
      inputs: ['IMAGE_GPU:image_transformed'],
      outputs: ['TENSORS:input_tensors'],
      options: [
        334361939,
        [int(1, 256), int(2, 144), int(3, 0), message(4, float(1, 0), float(2, 1)), int(5, TOP_LEFT), int(6, BORDER_ZERO)]
      ]
    },
    { calculator: 'TfLiteCustomOpResolverCalculator', outputSidePackets: ['OP_RESOLVER:op_resolver'] },
    {
      calculator: 'SelfieSegmentationModelLoader',
      inputSidePackets: ['MODEL_SELECTION:model_selection'],
      outputSidePackets: ['MODEL:model']
    },
    {
      calculator: 'CpuInferenceGpuOutCalculator',
      inputs: ['TENSORS:input_tensors'],
      outputs: ['TENSORS:output_tensors'],
      inputSidePackets: ['MODEL:model', 'OP_RESOLVER:op_resolver'],
      // InferenceCalculatorOptions: delegate { xnnpack {} }
      options: [336783863, [message(5, message(4))]]
    },
    { calculator: 'ImagePropertiesCalculator', inputs: ['IMAGE_GPU:image_transformed'], outputs: ['SIZE:input_size'] },
    {
      calculator: 'TensorsToSegmentationCalculator',
      inputs: ['TENSORS:output_tensors', 'OUTPUT_SIZE:input_size'],
      outputs: ['MASK:mask_image'],
      options: [374311106, [int(1, TOP_LEFT), int(2, 0)]]
    },
    { calculator: 'FromImageCalculator', inputs: ['IMAGE:mask_image'], outputs: ['IMAGE_GPU:segmentation_mask'] }
  ]
  return new Uint8Array([
    ...nodes.flatMap(node),
    ...text(10, 'input_frames_gpu'),
    // max_queue_size, and the executor the solution runs on, as in the package's graph
    ...int(11, 100),
    ...message(14, text(2, 'ApplicationThreadExecutor'))
  ])
}
