using System;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// The one exception <see cref="Model.Load(IModelSource)"/> throws for a file it will not run: bad magic,
    /// version, checksum, an offset or length outside the file, inconsistent shapes,
    /// out-of-range quantization or a limit exceeded. The message names what is wrong and
    /// where (byte offset, operator or tensor index).
    /// </summary>
    public class ModelFormatException : Exception
    {
        /// <summary>Byte offset in the file the problem was found at, or -1 when it is not tied to one place.</summary>
        public readonly int ByteOffset;

        /// <summary>Creates the exception; a byteOffset of 0 or more is appended to the message as " (at byte N)".</summary>
        public ModelFormatException(string message, int byteOffset)
            : base(byteOffset >= 0 ? message + " (at byte " + byteOffset.ToString() + ")" : message)
        {
            ByteOffset = byteOffset;
        }
    }
}
