namespace MicroT.Runtime.Models
{
    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF): the zlib/PNG CRC.</summary>
    public static class Crc32
    {
        static uint[] table;

        /// <summary>CRC-32 of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Update(0xFFFFFFFFu, data, offset, count) ^ 0xFFFFFFFFu;
        }

        /// <summary>CRC-32 of int8 values (their two's-complement bytes), e.g. a tensor in the arena.</summary>
        public static uint Compute(sbyte[] data, int offset, int count)
        {
            uint[] t = Table();
            uint crc = 0xFFFFFFFFu;
            int end = offset + count;
            for (int i = offset; i < end; i++) crc = t[(crc ^ (uint)(byte)data[i]) & 0xFF] ^ (crc >> 8);
            return crc ^ 0xFFFFFFFFu;
        }

        /// <summary>
        /// Continues a CRC over more bytes: start with 0xFFFFFFFF, pass each block in order, and
        /// xor the result with 0xFFFFFFFF at the end.
        /// </summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            uint[] t = Table();
            int end = offset + count;
            for (int i = offset; i < end; i++) crc = t[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            return crc;
        }

        static uint[] Table()
        {
            uint[] t = table;
            if (t == null)
            {
                // Built on first use (1 KB), so a device that never loads a model never pays for it.
                t = new uint[256];
                for (uint n = 0; n < 256; n++)
                {
                    uint c = n;
                    for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                    t[n] = c;
                }
                table = t;
            }
            return t;
        }
    }
}
