// Debian's Chromium for browser tests and the page-weight benchmark. The path is fixed (CI
// installs it with `apt-get install -y chromium`); when it is missing we fail with that advice.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  // Tenants answer on <tenant>.test: send every such name to the local edge.
  '--host-resolver-rules=MAP *.test 127.0.0.1',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. Install it with: apt-get update && apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH). The browser tests need it and do not skip.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface EmulatedDevice {
  name: string;
  userAgent: string;
  width: number;
  height: number;
  deviceScaleFactor: number;
  isMobile: boolean;
  hasTouch: boolean;
  tier: 'rich' | 'basic';
}

const CHROME = '126.0.0.0';

export const DEVICES: EmulatedDevice[] = [
  {
    name: 'small-phone-320',
    userAgent: `Mozilla/5.0 (Linux; Android 10; SM-A013F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME} Mobile Safari/537.36`,
    width: 320,
    height: 640,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    tier: 'rich',
  },
  {
    name: 'galaxy-360',
    userAgent: `Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME} Mobile Safari/537.36`,
    width: 360,
    height: 780,
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    tier: 'rich',
  },
  {
    name: 'iphone-390',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    width: 390,
    height: 844,
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    tier: 'rich',
  },
  {
    name: 'large-phone-430',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    width: 430,
    height: 932,
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    tier: 'rich',
  },
  {
    name: 'tablet-820',
    userAgent:
      'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    width: 820,
    height: 1180,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    tier: 'rich',
  },
  {
    name: 'desktop-1440',
    userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME} Safari/537.36`,
    width: 1440,
    height: 900,
    deviceScaleFactor: 1,
    isMobile: false,
    hasTouch: false,
    tier: 'rich',
  },
  {
    // A feature phone's markup (XHTML-MP, served as application/xhtml+xml since Chromium accepts
    // it: a strict XML parse) on a 240 px screen.
    name: 'feature-phone-240',
    userAgent: 'Nokia6300/2.0 (05.00) Profile/MIDP-2.0 Configuration/CLDC-1.1',
    width: 240,
    height: 320,
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: false,
    tier: 'basic',
  },
];

/** A mid-range Android phone (rich tier) and a feature phone (basic tier), for the page-weight bench. */
export const MID_RANGE_PHONE = DEVICES[1]!;
export const FEATURE_PHONE = DEVICES[6]!;
