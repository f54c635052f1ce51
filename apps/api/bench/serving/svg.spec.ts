import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleRun } from './sample-run.js';
import { escapeXml, renderSvg } from './svg.js';

describe('bench SVG chart', () => {
  it('escapes text for XML', () => {
    assert.equal(escapeXml(`a<b & "c" 'd'>`), 'a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
  });

  it('draws a bar per cell, scaled to the panel maximum, and a legend per panel', () => {
    const svg = renderSvg(sampleRun());
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    const bars = [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="[^"]+"[^>]*><title>([^<]+)<\/title>/g)];
    assert.equal(bars.length, sampleRun().cells.length);
    const height = (title: string) => Number(bars.find((bar) => bar[3]!.startsWith(title))![2]);
    // text-direction's tallest bar is 120 req/s: 100 req/s is 5/6 of it.
    assert.ok(Math.abs(height('text-direction in-process c=8') / height('text-direction http c=16') - 100 / 120) < 0.01);
    assert.equal(svg.match(/>http, batching off</g)?.length, 2, 'one legend per panel');
    assert.ok(!svg.includes('NaN'));
  });

  it('marks a bar with failed requests and escapes names', () => {
    const svg = renderSvg(sampleRun());
    assert.match(svg, /stroke="#d00" stroke-width="2"><title>compress http c=8: 8.00 req\/s, 2 failed<\/title>/);
    assert.ok(!svg.includes('<photo>'));
  });
});
