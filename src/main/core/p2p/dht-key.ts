import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'

const RAW_CODEC = 0x55
const SHA2_256 = 0x12

/**
 * A DHT key that only holders of `secret` can name: the raw CID of sha256(domain || secret).
 * Members announce themselves under such keys (a room's rendezvous, its short code's place).
 */
export function dhtKeyOf(domain: string, secret: Uint8Array): CID {
  return CID.createV1(RAW_CODEC, Digest.create(SHA2_256, sha256(concatBytes(utf8ToBytes(domain), secret))))
}
