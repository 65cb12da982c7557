// Start a local Bluesky PLC + PDS (no AppView) on 127.0.0.1 for Hearth's tests.
//
//   tests/servers/.cache/pds/bin/node tests/servers/run_pds.mjs \
//       [--pds-port N] [--plc-port N] [--handle alice.test] [--exit-on-stdin-eof]
//
// Needs Node >= 22 and the tree installed by tests/servers/install_pds.sh (in
// tests/servers/.cache/pds, or $HEARTH_PDS_CACHE when set, as for the installer).
// Uses @atproto/dev-env's own TestNetworkNoAppView (TestPlc + TestPds: the PLC on
// an in-memory database, the PDS on SQLite files in a temporary directory).
// Port 0 (the default) picks a free port. When ready it prints ONE JSON line on
// stdout:
//   {"ready":true,"service":"http://127.0.0.1:PORT","handle":"alice.test",
//    "password":"<app password>","account_password":"...","did":"did:plc:...",
//    "plc":"http://127.0.0.1:PORT","admin_password":"admin-pass",...}
// then keeps running until SIGTERM/SIGINT (or, with --exit-on-stdin-eof, until
// its stdin closes, so it dies with the process that started it). Logs go to
// stderr. Everything it wrote on disk is removed when it stops.
import fs from 'node:fs'
import module from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const HOST = '127.0.0.1'
// The PDS logs (pino, off unless LOG_ENABLED=true) go to stderr, never stdout:
// stdout carries only the JSON line.
process.env.LOG_DESTINATION ??= '/dev/stderr'
const here = path.dirname(fileURLToPath(import.meta.url))
const cacheDir = process.env.HEARTH_PDS_CACHE || path.join(here, '.cache', 'pds')
const appDir = path.join(cacheDir, 'app')

function parseArgs(argv) {
  const opts = {
    pdsPort: 0,
    plcPort: 0,
    handle: 'alice.test',
    email: 'alice@example.com',
    accountPassword: 'alice-account-pass',
    exitOnStdinEof: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`)
      return argv[++i]
    }
    if (a === '--pds-port') opts.pdsPort = Number(next())
    else if (a === '--plc-port') opts.plcPort = Number(next())
    else if (a === '--handle') opts.handle = next()
    else if (a === '--email') opts.email = next()
    else if (a === '--account-password') opts.accountPassword = next()
    else if (a === '--exit-on-stdin-eof') opts.exitOnStdinEof = true
    else throw new Error(`unknown argument ${a}`)
  }
  return opts
}

// Every server in this process listens on 127.0.0.1 only: the PDS and the PLC
// call `app.listen(port)` (all interfaces); give such calls our host.
const origListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const a0 = args[0]
  if (a0 === undefined || typeof a0 === 'function') {
    args.unshift(0, HOST)
  } else if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, HOST)
  } else if (a0 && typeof a0 === 'object' && a0.path === undefined && a0.host === undefined) {
    args[0] = { ...a0, host: HOST }
  }
  return origListen.apply(this, args)
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    origListen.call(srv, 0, HOST, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function xrpc(service, nsid, body, token) {
  const res = await fetch(`${service}/xrpc/${nsid}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${nsid} -> ${res.status} ${text}`)
  return JSON.parse(text)
}

async function main() {
  const t0 = Date.now()
  const opts = parseArgs(process.argv.slice(2))
  const major = Number(process.versions.node.split('.')[0])
  if (major < 22) throw new Error(`Node >= 22 needed, this is ${process.version}`)

  const devEnvDist = path.join(appDir, 'node_modules', '@atproto', 'dev-env', 'dist')
  if (!fs.existsSync(devEnvDist)) {
    throw new Error(`${devEnvDist} missing: run bash tests/servers/install_pds.sh`)
  }
  // V8's code cache on disk (Node >= 22.1) makes later starts load the PDS faster.
  module.enableCompileCache?.(
    process.env.NODE_COMPILE_CACHE || path.join(cacheDir, 'compile-cache'),
  )
  // Only the no-AppView network: importing dist/index.js would also load the
  // AppView, Ozone and bsync code for nothing.
  const { TestNetworkNoAppView } = await import(
    pathToFileURL(path.join(devEnvDist, 'network-no-appview.js')).href
  )
  const { ADMIN_PASSWORD } = await import(pathToFileURL(path.join(devEnvDist, 'const.js')).href)
  const tImported = Date.now()

  const plcPort = opts.plcPort || (await freePort())
  const pdsPort = opts.pdsPort || (await freePort())
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-pds-'))
  process.on('exit', () => fs.rmSync(dataRoot, { recursive: true, force: true }))
  for (const sub of ['data', 'blobs', 'tmp']) fs.mkdirSync(path.join(dataRoot, sub))
  // TestPds makes (and leaves) its own random dirs in os.tmpdir(): keep them in ours.
  process.env.TMPDIR = path.join(dataRoot, 'tmp')

  const network = await TestNetworkNoAppView.create({
    plc: { port: plcPort },
    pds: {
      port: pdsPort,
      // "localhost", as dev-env does: with an IP literal here the PDS's DID
      // resolver fails ("Could not resolve DID: Error: Invalid hostname", e.g. in
      // com.atproto.repo.describeRepo). The PLC still listens on 127.0.0.1 only.
      didPlcUrl: `http://localhost:${plcPort}`,
      dataDirectory: path.join(dataRoot, 'data'),
      blobstoreDiskLocation: path.join(dataRoot, 'blobs'),
    },
  })

  let stopping = false
  const stop = async (why) => {
    if (stopping) return
    stopping = true
    console.error(`run_pds: stopping (${why})`)
    try {
      await network.close()
    } catch (err) {
      console.error('run_pds: close failed', err)
    }
    fs.rmSync(dataRoot, { recursive: true, force: true })
    process.exit(0)
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  if (opts.exitOnStdinEof) {
    process.stdin.on('end', () => stop('stdin closed'))
    process.stdin.on('error', () => stop('stdin error'))
    process.stdin.resume()
  }

  const tServers = Date.now()
  const service = `http://${HOST}:${pdsPort}`
  const account = await xrpc(service, 'com.atproto.server.createAccount', {
    handle: opts.handle,
    email: opts.email,
    password: opts.accountPassword,
  })
  const appPassword = await xrpc(
    service,
    'com.atproto.server.createAppPassword',
    { name: 'hearth-tests' },
    account.accessJwt,
  )

  process.stdout.write(
    JSON.stringify({
      ready: true,
      service,
      handle: account.handle,
      did: account.did,
      password: appPassword.password,
      account_password: opts.accountPassword,
      email: opts.email,
      plc: `http://${HOST}:${plcPort}`,
      pds_public_url: network.pds.url,
      admin_password: ADMIN_PASSWORD,
      pid: process.pid,
      startup_ms: Date.now() - t0,
      timings_ms: { import: tImported - t0, servers: tServers - tImported, account: Date.now() - tServers },
    }) + '\n',
  )
}

main().catch((err) => {
  console.error('run_pds: failed:', err)
  process.exit(1)
})
