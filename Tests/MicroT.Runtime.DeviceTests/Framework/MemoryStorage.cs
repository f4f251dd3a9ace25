using System;
using System.Collections;
using MicroT.Runtime.Classifier;

namespace MicroT.Runtime.DeviceTests.Framework
{
    /// <summary>Named blobs (two ArrayLists: mscorlib has no Hashtable); CutNextWriteAt > 0
    /// truncates the next write, as a power cut would.</summary>
    public sealed class MemoryStorage : IByteStorage
    {
        readonly ArrayList _names = new ArrayList();
        readonly ArrayList _blobs = new ArrayList();
        public int CutNextWriteAt;

        public byte[] Read(string name)
        {
            int i = _names.IndexOf(name);
            if (i < 0) return null;
            byte[] b = (byte[])_blobs[i];
            byte[] copy = new byte[b.Length];
            Array.Copy(b, copy, b.Length);
            return copy;
        }

        public void Write(string name, byte[] data)
        {
            int n = data.Length;
            if (CutNextWriteAt > 0 && CutNextWriteAt < n) n = CutNextWriteAt;
            CutNextWriteAt = 0;
            byte[] copy = new byte[n];
            Array.Copy(data, copy, n);
            int i = _names.IndexOf(name);
            if (i < 0)
            {
                _names.Add(name);
                _blobs.Add(copy);
            }
            else
            {
                _blobs[i] = copy;
            }
        }
    }
}
