import { describe, expect, it } from 'vitest';
import { createAppI18n, type Locale, type Translate } from '../i18n';
import {
  formatBytes,
  formatDimensions,
  formatDuration,
  formatName,
  formatPercent,
  formatSsim,
  resultFileName,
  savingOf,
  savingRatio,
} from './format';
import { createFormatters } from './use-format';

function formattersIn(locale: Locale) {
  return createFormatters(createAppI18n(locale).global.t as Translate, () => locale);
}

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [-5, '0 B'],
    [Number.NaN, '0 B'],
    [1, '1 B'],
    [999, '999 B'],
    [1000, '1 kB'],
    [1234, '1.23 kB'],
    [12_345, '12.3 kB'],
    [123_456, '123 kB'],
    [1_500_000, '1.5 MB'],
    [2_000_000_000, '2 GB'],
  ])('%s bytes → %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe('savings', () => {
  it('computes the share saved', () => {
    expect(savingRatio(1000, 250)).toBe(0.75);
    expect(savingRatio(1000, 1100)).toBeCloseTo(-0.1);
    expect(savingRatio(0, 10)).toBe(0);
  });

  it('tells which way and by how much', () => {
    expect(savingOf(1000, 258)).toEqual({ kind: 'smaller', percent: 74 });
    expect(savingOf(1000, 1030)).toEqual({ kind: 'larger', percent: 3 });
    expect(savingOf(1000, 1000)).toEqual({ kind: 'same' });
    expect(savingOf(100_000, 99_900)).toEqual({ kind: 'under1' });
    expect(savingOf(0, 0)).toEqual({ kind: 'same' });
  });

  it('says it in words, in English and Chinese', () => {
    const en = formattersIn('en');
    expect(en.saving(1000, 258)).toBe('74% smaller');
    expect(en.saving(1000, 1030)).toBe('3% larger');
    expect(en.saving(1000, 1000)).toBe('same size');
    expect(en.saving(100_000, 99_900)).toBe('<1% smaller');
    const zh = formattersIn('zh');
    expect(zh.saving(1000, 258)).toBe('小了 74%');
    expect(zh.saving(1000, 1030)).toBe('大了 3%');
    expect(zh.saving(1000, 1000)).toBe('大小不变');
    expect(zh.saving(100_000, 99_900)).toBe('小了不到 1%');
  });

  it('formats percentages', () => {
    expect(formatPercent(0.742)).toBe('74%');
    expect(formatPercent(0.7456, 1)).toBe('74.6%');
    expect(formatPercent(Number.POSITIVE_INFINITY)).toBe('0%');
  });
});

describe('result details', () => {
  it('formats SSIM to four decimals', () => {
    expect(formatSsim(0.98512)).toBe('0.9851');
    expect(formatSsim(1)).toBe('1.0000');
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(850.4)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(2000)).toBe('2 s');
    expect(formatDuration(42_600)).toBe('43 s');
    expect(formatDuration(65_000)).toBe('1 min 5 s');
    expect(formatDuration(-1)).toBe('—');
  });

  it('formats dimensions and formats', () => {
    expect(formatDimensions(1920, 1080)).toBe('1920 × 1080');
    expect(formatName('webp')).toBe('WebP');
    expect(formattersIn('en').imageFormat('webp', 78)).toBe('WebP · quality 78');
    expect(formattersIn('en').imageFormat('png', null)).toBe('PNG');
    expect(formattersIn('zh').imageFormat('webp', 78)).toBe('WebP · 质量 78');
  });
});

describe('in Chinese', () => {
  it('formats sizes, percentages and SSIM with the locale’s numbers', () => {
    expect(formatBytes(1234, 'zh')).toBe('1.23 kB');
    expect(formatBytes(0, 'zh')).toBe('0 B');
    expect(formatPercent(0.742, 0, 'zh')).toBe('74%');
    expect(formatPercent(0.7456, 1, 'zh')).toBe('74.6%');
    expect(formatSsim(0.98512, 'zh')).toBe('0.9851');
  });

  it('writes durations the Chinese way, without spaces', () => {
    expect(formatDuration(850.4, 'zh')).toBe('850毫秒');
    expect(formatDuration(1234, 'zh')).toBe('1.2秒');
    expect(formatDuration(65_000, 'zh')).toBe('1分5秒');
    expect(formatDuration(-1, 'zh')).toBe('—');
  });

  it('uses the locale’s decimal separator where it has another (through Intl, not by hand)', () => {
    // The UI has no such language yet; this checks the figures really go through Intl.
    expect(new Intl.NumberFormat('de').format(1.5)).toBe('1,5');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
  });
});

describe('resultFileName', () => {
  it('swaps the extension for the result format', () => {
    expect(resultFileName('holiday.photo.JPG', 'webp')).toBe('holiday.photo.webp');
    expect(resultFileName('scan.png', 'jpeg')).toBe('scan.jpg');
    expect(resultFileName('picture.jpeg', 'avif')).toBe('picture.avif');
  });

  it('adds a suffix before the extension', () => {
    expect(resultFileName('cat.jpg', 'png', '-x4')).toBe('cat-x4.png');
  });

  it('copes with names without a usable base', () => {
    expect(resultFileName('README', 'png')).toBe('README.png');
    expect(resultFileName('.hidden', 'png')).toBe('.hidden.png');
    expect(resultFileName('', 'jpeg')).toBe('image.jpg');
    expect(resultFileName(' .png', 'png')).toBe('image.png');
  });
});
