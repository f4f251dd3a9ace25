using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>A saved task (or storage record) that cannot be loaded. The message names what is
    /// wrong and the byte offset where it was found.</summary>
    public sealed class TaskFormatException : Exception
    {
        /// <summary>A format error; the message gets " (at byte offset)" appended.</summary>
        /// <param name="message">What is wrong.</param>
        /// <param name="offset">Byte offset in the buffer where it was found.</param>
        public TaskFormatException(string message, int offset)
            : base(message + " (at byte " + offset + ")")
        {
            Offset = offset;
        }

        /// <summary>Byte offset in the buffer where the problem was found.</summary>
        public int Offset { get; private set; }
    }
}
