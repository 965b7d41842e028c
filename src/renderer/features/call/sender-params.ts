import { WARMUP_CAP, type SenderCap } from './bitrate'

/** The cap for the first seconds of a link: small frames reach the other side sooner. */
export function warmupCap(normal: SenderCap): SenderCap {
  return { maxBitrate: Math.min(WARMUP_CAP.maxBitrate, normal.maxBitrate), scaleResolutionDownBy: Math.max(WARMUP_CAP.scaleResolutionDownBy, normal.scaleResolutionDownBy), maxFramerate: normal.maxFramerate }
}

/** Apply a cap (and on/off) to a sender's first encoding. */
export async function setEncoding(sender: RTCRtpSender, cap: SenderCap, active: boolean): Promise<void> {
  try {
    await setEncodingOnce(sender, cap, active)
  } catch (err) {
    // A negotiation changed the parameters between our get and set: read them again, once.
    if (!(err instanceof DOMException && err.name === 'InvalidModificationError')) throw err
    await setEncodingOnce(sender, cap, active)
  }
}

async function setEncodingOnce(sender: RTCRtpSender, cap: SenderCap, active: boolean): Promise<void> {
  const params = sender.getParameters()
  const encoding = params.encodings?.[0]
  if (!encoding) return
  encoding.active = active
  encoding.maxBitrate = cap.maxBitrate
  encoding.scaleResolutionDownBy = cap.scaleResolutionDownBy
  encoding.maxFramerate = cap.maxFramerate
  await sender.setParameters(params)
}
