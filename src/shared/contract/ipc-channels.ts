/** The only two IPC channels the app uses; the preload refuses to know any other. */
export const IPC_INVOKE_CHANNEL = 'dym:invoke'
export const IPC_EVENT_CHANNEL = 'dym:event'
