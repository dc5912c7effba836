/**
 * The browser tests drive Debian's Chromium. Install it when it is missing and we can (root with
 * apt-get); otherwise stop with a message saying how, never skip the tests silently.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

function run(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  return result.status === 0
}

if (!fs.existsSync(CHROMIUM_PATH)) {
  const isRoot = process.getuid?.() === 0
  const hasApt = fs.existsSync('/usr/bin/apt-get')
  if (!isRoot || !hasApt) {
    console.error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}, and it is not installed.\n` +
        (hasApt
          ? 'Install it with:  sudo apt-get install -y chromium\n'
          : 'Install Chromium with your package manager,\n') +
        'or point CHROMIUM_PATH at a Chromium binary, then run the tests again.',
    )
    process.exit(1)
  }
  console.log('Installing Debian chromium for the browser tests (apt-get)…')
  if (
    !run('apt-get', ['update', '-qq']) ||
    !run('apt-get', ['install', '-y', '-qq', 'chromium']) ||
    !fs.existsSync(CHROMIUM_PATH)
  ) {
    console.error('Installing chromium failed; see the apt-get output above.')
    process.exit(1)
  }
}
