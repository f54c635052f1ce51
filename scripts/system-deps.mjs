#!/usr/bin/env node
// The tests drive the real nginx and a real Chromium from Debian's packages, the OCR tests
// render text in Debian's fonts, and the scale-out test starts Debian's redis-server. This checks they are there and, on a Debian/Ubuntu machine where
// we are root, installs the missing ones with apt-get.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const nginx = process.env.NGINX_BIN ?? 'nginx';

function hasCommand(command) {
  try {
    execFileSync('sh', ['-c', `command -v "${command}"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const missing = [];
if (!hasCommand(nginx) && !existsSync('/usr/sbin/nginx')) missing.push('nginx');
if (!existsSync(chromium)) missing.push('chromium');
if (!existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf')) missing.push('fonts-dejavu-core');
if (!existsSync('/usr/share/fonts/truetype/liberation2')) missing.push('fonts-liberation2');
if (!existsSync('/usr/share/fonts/opentype/noto')) missing.push('fonts-noto-cjk');
if (!existsSync(process.env.REDIS_SERVER ?? '/usr/bin/redis-server')) missing.push('redis-server');
if (missing.length === 0) process.exit(0);

const install = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
if (process.getuid?.() !== 0 || !hasCommand('apt-get')) {
  console.error(`The tests need ${missing.join(', ')}. Install them with:\n  sudo apt-get update && sudo ${install}`);
  process.exit(1);
}
console.log(`Installing ${missing.join(', ')} from Debian's packages for the tests…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('sh', ['-c', `apt-get update -q && ${install} -q`], { stdio: 'inherit', env });
