// readPNG decodes a non-interlaced 8-bit PNG (grayscale, RGB or RGBA, as
// `nidan export --png` writes) into RGBA pixels, as a canvas's getImageData
// gives them, so that the QR decoder can be tested in node without a canvas.
import { inflateSync } from 'node:zlib';

const CHANNELS = { 0: 1, 2: 3, 6: 4 };

export function readPNG(buf) {
  let width, height, channels;
  const idat = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      channels = CHANNELS[data[9]];
      if (data[8] !== 8 || !channels || data[12] !== 0) throw new Error('readPNG: only 8-bit, non-interlaced gray, RGB or RGBA');
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const cur = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? rows[y * stride + x - channels] : 0;
      const b = y > 0 ? rows[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      rows[y * stride + x] = (cur + [0, a, b, (a + b) >> 1, paeth][filter]) & 255;
    }
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const px = rows.subarray(i * channels, (i + 1) * channels);
    data.set(channels === 1 ? [px[0], px[0], px[0], 255] : channels === 3 ? [...px, 255] : px, i * 4);
  }
  return { data, width, height };
}
