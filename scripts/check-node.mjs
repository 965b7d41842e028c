// npm puts node_modules/.bin first on the PATH of its scripts, so `node` there is the Node 22
// from the `node` dev dependency even on a machine with an older system Node. Check it.
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  console.error(
    `Node ${process.version} is running the scripts; libp2p 3 needs Node >= 22. Run "npm install" (it installs Node 22 as a dev dependency) and use npm scripts.`
  )
  process.exit(1)
}
