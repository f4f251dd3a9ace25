using System;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// A model file kept as consecutive chunks of <see cref="ChunkSize"/> bytes (the last one may
    /// be shorter), fetched one at a time by <see cref="GetChunk"/>: for example methods that
    /// each return an array initializer (copied from flash at each call), or slices of a
    /// resource. Only the current chunk is referenced, so loading needs one chunk of RAM beyond
    /// the model, not the whole file.
    /// <code>
    /// sealed class ZooSource : ChunkedSource
    /// {
    ///     public ZooSource() : base(43648, 8192) { }
    ///     protected override byte[] GetChunk(int index)
    ///     {
    ///         switch (index) { case 0: return ZooBytes.Chunk0(); /* ... */ default: return ZooBytes.Chunk5(); }
    ///     }
    /// }
    /// </code>
    /// </summary>
    public abstract class ChunkedSource : IModelSource
    {
        readonly int length;
        /// <summary>Bytes of every chunk but the last.</summary>
        public readonly int ChunkSize;
        byte[] current;
        int currentIndex = -1;

        /// <summary>A file of <paramref name="length"/> bytes in chunks of <paramref name="chunkSize"/>.</summary>
        protected ChunkedSource(int length, int chunkSize)
        {
            if (length < 0) throw new ArgumentOutOfRangeException("length");
            if (chunkSize <= 0) throw new ArgumentOutOfRangeException("chunkSize");
            this.length = length;
            ChunkSize = chunkSize;
        }

        /// <summary>Total bytes of the file.</summary>
        public int Length { get { return length; } }

        /// <summary>
        /// Chunk <paramref name="index"/>: bytes [index x ChunkSize, +ChunkSize) of the file
        /// (the last chunk: up to the end). Called again whenever another chunk is needed.
        /// </summary>
        protected abstract byte[] GetChunk(int index);

        /// <summary>Copies count bytes from position into buffer[offset ..], fetching chunks as needed.</summary>
        public void Read(int position, byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                int index = position / ChunkSize;
                if (index != currentIndex)
                {
                    current = null; // let the previous chunk go before the next one is made
                    byte[] chunk = GetChunk(index);
                    int expected = length - index * ChunkSize;
                    if (expected > ChunkSize) expected = ChunkSize;
                    if (chunk == null || chunk.Length != expected)
                        throw new ArgumentException("chunk " + index.ToString() + " must have " + expected.ToString() + " bytes");
                    current = chunk;
                    currentIndex = index;
                }
                int inChunk = position - index * ChunkSize;
                int n = current.Length - inChunk;
                if (n > count) n = count;
                Array.Copy(current, inChunk, buffer, offset, n);
                position += n; offset += n; count -= n;
            }
        }

        /// <summary>Drops the chunk held for reading (call after loading to free it).</summary>
        public void Release()
        {
            current = null;
            currentIndex = -1;
        }
    }
}
