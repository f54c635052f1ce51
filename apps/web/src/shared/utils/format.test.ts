import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDimensions,
  formatDuration,
  formatFormat,
  formatPercent,
  formatSaving,
  formatSsim,
  resultFileName,
  savingRatio,
} from './format';

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

  it('says it in words', () => {
    expect(formatSaving(1000, 258)).toBe('74% smaller');
    expect(formatSaving(1000, 1030)).toBe('3% larger');
    expect(formatSaving(1000, 1000)).toBe('same size');
    expect(formatSaving(100_000, 99_900)).toBe('<1% smaller');
    expect(formatSaving(0, 0)).toBe('same size');
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
    expect(formatFormat('webp', 78)).toBe('WebP · quality 78');
    expect(formatFormat('png', null)).toBe('PNG');
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
