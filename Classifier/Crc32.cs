namespace MicroT.Runtime.Classifier
{
    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib), table-driven.</summary>
    public static class Crc32
    {
        static uint[] _table;

        /// <summary>CRC-32 of data[offset, offset + count).</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            uint[] table = _table;
            if (table == null) _table = table = BuildTable();
            uint crc = 0xFFFFFFFF;
            for (int i = offset, end = offset + count; i < end; i++)
                crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            return crc ^ 0xFFFFFFFF;
        }

        static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            return table;
        }
    }
}
