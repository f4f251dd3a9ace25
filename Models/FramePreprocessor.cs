using System;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Raw frame -> quantized model input, in integer arithmetic, allocating nothing. Used by
    /// Interpreter.SetInput on the device and by the
    /// host tools, so training-time and device-time preprocessing are the same code.
    /// A frame no larger than the input on both sides (28x28 into 32x32) is centred unscaled on
    /// black, as training pads it (<see cref="Centers"/>); a larger frame is resized. Steps per output pixel: sample the frame (nearest, or bilinear with 10-bit weights, both
    /// on pixel centres: src = (dst + 0.5) * in / out - 0.5, edges clamped), convert to the model's
    /// channels (RGB -> gray as (77 R + 150 G + 29 B + 128) >> 8; gray -> RGB by copying), then map
    /// each 0..255 value through the model's pixel table (real = v * PixelScale + PixelOffset,
    /// quantized with the input scale and zero point).
    /// </summary>
    public static class FramePreprocessor
    {
        /// <summary>Largest frame or output width and height (keeps the fixed-point coordinates in int32).</summary>
        public const int MaxSide = 65535;

        /// <summary>Bytes of a frame of the given format and size; ArgumentException for a non-positive or overflowing size.</summary>
        public static int FrameBytes(FrameFormat format, int width, int height)
        {
            int bpp = BytesPerPixel(format);
            if (width <= 0 || height <= 0 || width > MaxSide || height > MaxSide)
                throw new ArgumentException("frame size " + width.ToString() + "x" + height.ToString() + " must be within 1.." + MaxSide.ToString());
            long bytes = (long)width * height * bpp;
            if (bytes > int.MaxValue) throw new ArgumentException("frame size " + width.ToString() + "x" + height.ToString() + " is too large");
            return (int)bytes;
        }

        /// <summary>1 for Gray8, 2 for Rgb565, 3 for Rgb888.</summary>
        public static int BytesPerPixel(FrameFormat format)
        {
            if (format == FrameFormat.Gray8) return 1;
            if (format == FrameFormat.Rgb565) return 2;
            if (format == FrameFormat.Rgb888) return 3;
            throw new ArgumentException("frame format " + ((int)format).ToString() + " is unknown");
        }

        /// <summary>
        /// The 256-entry table from an 8-bit channel value v to the quantized input:
        /// clamp(round_half_away(( v * pixelScale + pixelOffset) / inputScale) + inputZeroPoint, -128, 127),
        /// computed in single precision (the device's float).
        /// </summary>
        public static sbyte[] BuildPixelLut(float pixelScale, float pixelOffset, float inputScale, int inputZeroPoint)
        {
            sbyte[] lut = new sbyte[256];
            for (int v = 0; v < 256; v++)
            {
                float x = (v * pixelScale + pixelOffset) / inputScale;
                int q;
                if (x >= 1000f) q = 1000;
                else if (x <= -1000f) q = -1000;
                else q = (int)(x >= 0 ? x + 0.5f : x - 0.5f);
                q += inputZeroPoint;
                if (q < -128) q = -128;
                if (q > 127) q = 127;
                lut[v] = (sbyte)q;
            }
            return lut;
        }

        /// <summary>
        /// Resizes and quantizes <paramref name="frame"/> into dest[destOffset ..] as an
        /// outHeight x outWidth x outChannels (1 or 3) NHWC image. Checks every argument;
        /// ArgumentException names the expected size.
        /// </summary>
        public static void Run(byte[] frame, FrameFormat format, int width, int height, ResizeMode mode, sbyte[] lut,
            sbyte[] dest, int destOffset, int outHeight, int outWidth, int outChannels)
        {
            if (frame == null) throw new ArgumentNullException("frame");
            if (dest == null) throw new ArgumentNullException("dest");
            if (lut == null || lut.Length != 256) throw new ArgumentException("lut must have 256 entries");
            if (outChannels != 1 && outChannels != 3) throw new ArgumentException("outChannels must be 1 or 3");
            if (outHeight <= 0 || outWidth <= 0 || outHeight > MaxSide || outWidth > MaxSide) throw new ArgumentException("output size must be within 1.." + MaxSide.ToString());
            if (mode != ResizeMode.Nearest && mode != ResizeMode.Bilinear) throw new ArgumentException("resize mode is unknown");
            int bytes = FrameBytes(format, width, height);
            if (frame.Length != bytes)
                throw new ArgumentException("frame has " + frame.Length.ToString() + " bytes; a " + width.ToString() + "x" + height.ToString()
                    + " " + FormatName(format) + " frame has " + bytes.ToString());
            long outBytes = (long)outHeight * outWidth * outChannels;
            if (destOffset < 0 || destOffset > dest.Length || outBytes > dest.Length - destOffset)
                throw new ArgumentException("dest has no room for " + outHeight.ToString() + "x" + outWidth.ToString() + "x" + outChannels.ToString() + " values at offset " + destOffset.ToString());

            bool gray = outChannels == 1;
            bool direct = gray && format == FrameFormat.Gray8; // gray to gray: bytes read inline, no call
            if (Centers(width, height, outWidth, outHeight))
            {
                Center(frame, format, width, height, lut, dest, destOffset, outHeight, outWidth, outChannels);
                return;
            }
            int o = destOffset;
            // A source column advances by a constant rational step per output column; it is kept as
            // quotient q and remainder r of its exact numerator, so there is no division per pixel.
            if (mode == ResizeMode.Nearest)
            {
                // sx = floor((2 x + 1) * width / (2 outWidth)); likewise sy.
                int den = 2 * outWidth;
                int q0 = width / den, r0 = width % den;
                int stepQ = 2 * width / den, stepR = 2 * width % den;
                for (int y = 0; y < outHeight; y++)
                {
                    int sy = (int)(((2L * y + 1) * height) / (2L * outHeight));
                    if (sy >= height) sy = height - 1;
                    int row = sy * width;
                    int q = q0, r = r0;
                    for (int x = 0; x < outWidth; x++)
                    {
                        int i = row + (q < width ? q : width - 1);
                        if (direct) dest[o++] = lut[frame[i]];
                        else
                        {
                            int p = Pixel(frame, format, i, gray);
                            if (gray) dest[o++] = lut[p & 0xFF];
                            else
                            {
                                dest[o++] = lut[(p >> 16) & 0xFF];
                                dest[o++] = lut[(p >> 8) & 0xFF];
                                dest[o++] = lut[p & 0xFF];
                            }
                        }
                        q += stepQ; r += stepR;
                        if (r >= den) { q++; r -= den; }
                    }
                }
                return;
            }

            // Bilinear: fx = (2 x + 1) * width * 512 / outWidth - 512, in 1/1024 pixels; likewise fy.
            int bq0 = width * 512 / outWidth, br0 = width * 512 % outWidth;
            int bStepQ = width * 1024 / outWidth, bStepR = width * 1024 % outWidth;
            for (int y = 0; y < outHeight; y++)
            {
                long fy = ((2L * y + 1) * height * 512) / outHeight - 512;
                int y0 = (int)(fy >> 10);
                int wy = (int)(fy & 1023);
                int y1 = y0 + 1;
                if (y0 < 0) { y0 = 0; wy = 0; }
                if (y1 >= height) y1 = height - 1;
                if (y0 >= height) y0 = height - 1;
                int row0 = y0 * width, row1 = y1 * width;
                int ay = 1024 - wy;
                int q = bq0, r = br0;
                for (int x = 0; x < outWidth; x++)
                {
                    int fx = q - 512;
                    int x0 = fx >> 10;
                    int wx = fx & 1023;
                    int x1 = x0 + 1;
                    if (x0 < 0) { x0 = 0; wx = 0; }
                    if (x1 >= width) x1 = width - 1;
                    if (x0 >= width) x0 = width - 1;
                    int ax = 1024 - wx;
                    if (direct)
                    {
                        int top = frame[row0 + x0] * ax + frame[row0 + x1] * wx;
                        int bottom = frame[row1 + x0] * ax + frame[row1 + x1] * wx;
                        dest[o++] = lut[(top * ay + bottom * wy + (1 << 19)) >> 20];
                    }
                    else
                    {
                        int p00 = Pixel(frame, format, row0 + x0, gray);
                        int p01 = Pixel(frame, format, row0 + x1, gray);
                        int p10 = Pixel(frame, format, row1 + x0, gray);
                        int p11 = Pixel(frame, format, row1 + x1, gray);
                        for (int shift = gray ? 0 : 16; shift >= 0; shift -= 8)
                        {
                            int top = ((p00 >> shift) & 0xFF) * ax + ((p01 >> shift) & 0xFF) * wx;
                            int bottom = ((p10 >> shift) & 0xFF) * ax + ((p11 >> shift) & 0xFF) * wx;
                            dest[o++] = lut[(top * ay + bottom * wy + (1 << 19)) >> 20];
                        }
                    }
                    q += bStepQ; r += bStepR;
                    if (r >= outWidth) { q++; r -= outWidth; }
                }
            }
        }

        /// <summary>
        /// True when a width x height frame is placed unscaled in the middle of the outWidth x
        /// outHeight input instead of being resized: it is no larger than the input on either
        /// side (e.g. 28x28 into 32x32: 2 black pixels on every side). The margin before is
        /// half the total, rounded down (an odd extra row/column goes below/right), exactly as
        /// the host tools pad smaller training images (MicroT.Data's LabeledImageSet.Padded).
        /// </summary>
        public static bool Centers(int width, int height, int outWidth, int outHeight)
        {
            return width <= outWidth && height <= outHeight;
        }

        /// <summary>The frame centred in the input; the margin is pixel value 0 (black) through the table.</summary>
        static void Center(byte[] frame, FrameFormat format, int width, int height, sbyte[] lut,
            sbyte[] dest, int destOffset, int outHeight, int outWidth, int outChannels)
        {
            bool gray = outChannels == 1;
            int end = destOffset + outHeight * outWidth * outChannels;
            sbyte black = lut[0];
            for (int i = destOffset; i < end; i++) dest[i] = black;
            int top = (outHeight - height) / 2, left = (outWidth - width) / 2;
            for (int y = 0; y < height; y++)
            {
                int o = destOffset + ((top + y) * outWidth + left) * outChannels;
                int row = y * width;
                if (gray && format == FrameFormat.Gray8)
                {
                    for (int x = 0; x < width; x++) dest[o + x] = lut[frame[row + x]];
                    continue;
                }
                for (int x = 0; x < width; x++)
                {
                    int p = Pixel(frame, format, row + x, gray);
                    if (gray) dest[o++] = lut[p & 0xFF];
                    else
                    {
                        dest[o++] = lut[(p >> 16) & 0xFF];
                        dest[o++] = lut[(p >> 8) & 0xFF];
                        dest[o++] = lut[p & 0xFF];
                    }
                }
            }
        }

        /// <summary>Pixel i of the frame as 0xRRGGBB, or as the gray value when <paramref name="gray"/>.</summary>
        static int Pixel(byte[] frame, FrameFormat format, int i, bool gray)
        {
            int r, g, b;
            if (format == FrameFormat.Gray8)
            {
                int v = frame[i];
                return gray ? v : (v << 16) | (v << 8) | v;
            }
            if (format == FrameFormat.Rgb565)
            {
                int w = frame[2 * i] | (frame[2 * i + 1] << 8);
                r = (w >> 11) & 31; g = (w >> 5) & 63; b = w & 31;
                r = (r << 3) | (r >> 2); g = (g << 2) | (g >> 4); b = (b << 3) | (b >> 2);
            }
            else
            {
                r = frame[3 * i]; g = frame[3 * i + 1]; b = frame[3 * i + 2];
            }
            if (gray) return (77 * r + 150 * g + 29 * b + 128) >> 8;
            return (r << 16) | (g << 8) | b;
        }

        static string FormatName(FrameFormat format)
        {
            if (format == FrameFormat.Gray8) return "Gray8";
            if (format == FrameFormat.Rgb565) return "Rgb565";
            return "Rgb888";
        }
    }
}
