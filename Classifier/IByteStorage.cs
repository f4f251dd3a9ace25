namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// Where saved tasks live: named byte blobs. On the device, plug in files on the internal
    /// flash (e.g. "I:\\" + name with System.IO.FileStream); in tests, plug in memory.
    /// Write may be cut short by a power loss at any byte; TaskStorage copes with that.
    /// </summary>
    public interface IByteStorage
    {
        /// <summary>The whole content of name, or null when it does not exist.</summary>
        byte[] Read(string name);

        /// <summary>Replaces the content of name with data (creating it when needed).</summary>
        void Write(string name, byte[] data);
    }
}
