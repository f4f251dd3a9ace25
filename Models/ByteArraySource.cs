using System;

namespace MicroT.Runtime.Models
{
    /// <summary>A model file that is one byte[] (read from a file, a resource, or received).</summary>
    public sealed class ByteArraySource : IModelSource
    {
        readonly byte[] bytes;

        /// <summary>Wraps <paramref name="file"/> (not copied).</summary>
        public ByteArraySource(byte[] file)
        {
            if (file == null) throw new ArgumentNullException("file");
            bytes = file;
        }

        /// <summary>Total bytes of the file.</summary>
        public int Length { get { return bytes.Length; } }

        /// <summary>Copies count bytes from position into buffer[offset ..].</summary>
        public void Read(int position, byte[] buffer, int offset, int count)
        {
            Array.Copy(bytes, position, buffer, offset, count);
        }
    }
}
