import { safeStorage } from 'electron'

/**
 * Seals the device key with the OS keychain (Keychain on macOS, DPAPI on Windows, libsecret or
 * KWallet on Linux) for the identity service's key vault (CoreOptions.keyCodec, SecretCodec in
 * src/main/core/identity/key-vault.ts). Null when no real keychain is there: on Linux without a
 * secret service Electron falls back to a hard-coded key ('basic_text'), which is no protection,
 * and the vault then says honestly that it keeps a mode-0600 file. Call after app `ready`.
 */
export function safeStorageCodec(): { id: string; seal(plain: Uint8Array): Uint8Array; open(sealed: Uint8Array): Uint8Array } | null {
  if (!safeStorage.isEncryptionAvailable()) return null
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null
  return {
    id: `electron-safe-storage-${process.platform}`,
    seal: (plain) => new Uint8Array(safeStorage.encryptString(Buffer.from(plain).toString('base64'))),
    open: (sealed) => new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(sealed)), 'base64'))
  }
}
