import { describe, expect, it } from 'vitest';
import { formatConfidence, isLowConfidence, polygonPoints, textLanguage, viewBoxOf } from './ocr';

describe('ocr helpers', () => {
  it('writes a box as polygon points in image pixels, two decimals at most', () => {
    expect(
      polygonPoints([
        [10, 20],
        [110.456, 20],
        [110.456, 42.1],
        [10, 42.1],
      ]),
    ).toBe('10,20 110.46,20 110.46,42.1 10,42.1');
  });

  it('sizes the overlay viewBox to the image, so the browser scales the boxes with it', () => {
    expect(viewBoxOf(1280, 720)).toBe('0 0 1280 720');
    // A broken size never makes an empty (invisible) viewBox.
    expect(viewBoxOf(0, 0)).toBe('0 0 1 1');
  });

  it('shows confidence as a whole, clamped percentage; below 0.8 is low', () => {
    expect(formatConfidence(0.973)).toBe('97%');
    expect(formatConfidence(1.2)).toBe('100%');
    expect(formatConfidence(Number.NaN)).toBe('0%');
    expect(isLowConfidence(0.8)).toBe(false);
    expect(isLowConfidence(0.79)).toBe(true);
    expect(isLowConfidence(Number.NaN)).toBe(true);
  });

  it('tags CJK text with its language for the right glyphs', () => {
    expect(textLanguage('发票号码 No. 12345')).toBe('zh-Hans');
    expect(textLanguage('東京タワー')).toBe('ja');
    expect(textLanguage('서울 2024')).toBe('ko');
    expect(textLanguage('Total 12.50 EUR')).toBeUndefined();
  });
});
