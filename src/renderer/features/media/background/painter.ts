import type { Look } from './messages'
import { drawPicture } from './pictures'

/** The blurred background is drawn from a copy this many times smaller: the blur costs next to nothing. */
const SHRINK = 8
/** the landscape selfie model's input (see segmentation-graph.ts) */
const MODEL_WIDTH = 256
const MODEL_HEIGHT = 144

/** Draws what we send: the background (blurred, or a picture), the person sharp over it. */
export class Painter {
  look: Look = 'blur'
  /** the picture drawn for `look` at the frame's size (redrawn when either changes) */
  private readonly picture = new OffscreenCanvas(1, 1)
  private pictureOf = ''
  /** the frame as it came */
  private readonly sharp = new OffscreenCanvas(1, 1)
  /** what we send: the blurred background, the person over it */
  private readonly out = new OffscreenCanvas(1, 1)
  private readonly small = new OffscreenCanvas(1, 1)
  private readonly person = new OffscreenCanvas(1, 1)
  /** the frame at the segmentation model's input size */
  private readonly forModel = new OffscreenCanvas(MODEL_WIDTH, MODEL_HEIGHT)

  take(frame: VideoFrame): OffscreenCanvas {
    const w = frame.displayWidth
    const h = frame.displayHeight
    if (this.sharp.width !== w || this.sharp.height !== h) {
      for (const c of [this.sharp, this.out, this.person]) {
        c.width = w
        c.height = h
      }
      this.small.width = Math.max(1, Math.round(w / SHRINK))
      this.small.height = Math.max(1, Math.round(h / SHRINK))
    }
    this.sharp.getContext('2d')!.drawImage(frame, 0, 0)
    return this.sharp
  }

  /** The frame last taken, at the model's input size. */
  modelInput(): OffscreenCanvas {
    this.forModel.getContext('2d')!.drawImage(this.sharp, 0, 0, MODEL_WIDTH, MODEL_HEIGHT)
    return this.forModel
  }

  /** The mask's alpha is how sure the model is that a pixel is the person. */
  compose(mask: CanvasImageSource, timestamp: number): VideoFrame {
    const { width: w, height: h } = this.out
    const out = this.out.getContext('2d')!
    if (this.look === 'blur') {
      this.small.getContext('2d')!.drawImage(this.sharp, 0, 0, this.small.width, this.small.height)
      out.filter = 'blur(6px)'
      out.drawImage(this.small, 0, 0, w, h)
      out.filter = 'none'
    } else {
      const key = `${this.look} ${w}x${h}`
      if (this.pictureOf !== key) {
        this.picture.width = w
        this.picture.height = h
        drawPicture(this.look, this.picture)
        this.pictureOf = key
      }
      out.drawImage(this.picture, 0, 0)
    }
    const person = this.person.getContext('2d')!
    person.globalCompositeOperation = 'copy'
    person.drawImage(mask, 0, 0, w, h)
    person.globalCompositeOperation = 'source-in'
    person.drawImage(this.sharp, 0, 0)
    out.drawImage(this.person, 0, 0)
    return new VideoFrame(this.out, { timestamp })
  }
}
