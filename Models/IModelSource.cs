namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Where <see cref="Model.Load(IModelSource)"/> reads a model file from: random access by
    /// position, so the file never has to be one array in RAM. The loader reads the header and
    /// tables once into a small buffer and streams the data section in blocks of a few hundred
    /// bytes (twice: once for the CRC, once for the constants).
    /// </summary>
    public interface IModelSource
    {
        /// <summary>Total bytes of the file.</summary>
        int Length { get; }

        /// <summary>
        /// Copies <paramref name="count"/> bytes from <paramref name="position"/> of the file into
        /// buffer[offset ..]. The loader only asks for ranges inside [0, Length).
        /// </summary>
        void Read(int position, byte[] buffer, int offset, int count);
    }
}
