namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Layout constants and limits of the MicroT model file (.mtm), version 1. docs/FORMAT.md is
    /// the specification; the reader (<see cref="Model.Load(IModelSource)"/>) and the host writer
    /// (tools/MicroT.ModelWriter) both use these numbers so they cannot disagree.
    /// </summary>
    public static class ModelFormat
    {
        /// <summary>"MTMF" read as a little-endian uint32.</summary>
        public const uint Magic = 0x464D544D;
        /// <summary>Format version this runtime reads (header bytes 4..5).</summary>
        public const int Version = 1;

        /// <summary>Bytes of the header; the tensor table follows it.</summary>
        public const int HeaderSize = 112;
        /// <summary>Bytes of one tensor table entry.</summary>
        public const int TensorEntrySize = 16;
        /// <summary>Bytes of one operator table entry.</summary>
        public const int OperatorEntrySize = 48;
        /// <summary>The data section starts on this boundary; each constant block inside it on <see cref="ConstantAlignment"/>.</summary>
        public const int DataAlignment = 16;
        /// <summary>Alignment of each constant block (weights, bias, scales) and the self-test section, as an offset from the data section's start.</summary>
        public const int ConstantAlignment = 4;
        /// <summary>The CRC covers the bytes from here to the end of the file.</summary>
        public const int CrcStart = 16;
        /// <summary>Bytes of the zero-padded ASCII name field.</summary>
        public const int NameLength = 32;
        /// <summary>Operator input slot that is not used.</summary>
        public const int NoTensor = 0xFFFF;

        // Header field offsets.
        /// <summary>Header: magic (uint32).</summary>
        public const int OffMagic = 0;
        /// <summary>Header: format version (uint16).</summary>
        public const int OffVersion = 4;
        /// <summary>Header: header size (uint16).</summary>
        public const int OffHeaderSize = 6;
        /// <summary>Header: total file length (uint32).</summary>
        public const int OffFileLength = 8;
        /// <summary>Header: CRC-32 of bytes [CrcStart, file length) (uint32).</summary>
        public const int OffCrc = 12;
        /// <summary>Header: model name (NameLength bytes).</summary>
        public const int OffName = 16;
        /// <summary>Header: tensor count T (uint16).</summary>
        public const int OffTensorCount = 48;
        /// <summary>Header: operator count N (uint16).</summary>
        public const int OffOperatorCount = 50;
        /// <summary>Header: tensor table offset (uint32, must be HeaderSize).</summary>
        public const int OffTensorTable = 52;
        /// <summary>Header: operator table offset (uint32, must follow the tensor table).</summary>
        public const int OffOperatorTable = 56;
        /// <summary>Header: data section offset D (uint32, 16-byte aligned).</summary>
        public const int OffData = 60;
        /// <summary>Header: data section length (uint32; D + length = file length).</summary>
        public const int OffDataLength = 64;
        /// <summary>Header: split index S (uint16, 1..N-1).</summary>
        public const int OffSplitIndex = 68;
        /// <summary>Header: part-feature tensor index (uint16).</summary>
        public const int OffPartFeature = 70;
        /// <summary>Header: full-feature tensor index (uint16).</summary>
        public const int OffFullFeature = 72;
        /// <summary>Header: resize mode (byte: 0 nearest, 1 bilinear).</summary>
        public const int OffResizeMode = 74;
        /// <summary>Header: pixel scale (f32).</summary>
        public const int OffPixelScale = 76;
        /// <summary>Header: pixel offset (f32).</summary>
        public const int OffPixelOffset = 80;
        /// <summary>Header: part MACs (int64).</summary>
        public const int OffPartMacs = 88;
        /// <summary>Header: full MACs (int64).</summary>
        public const int OffFullMacs = 96;
        /// <summary>Self-test section: offset relative to the data section and length (both 0: none).</summary>
        public const int OffSelfTestOffset = 104;
        /// <summary>Header: self-test section length (uint32).</summary>
        public const int OffSelfTestLength = 108;

        /// <summary>Operator padding codes (byte 1 of an entry): valid, same (TFLite), explicit (bytes 40..43: top, left, bottom, right).</summary>
        public const int PaddingValid = 0;
        /// <summary>Padding code 1: same (TFLite).</summary>
        public const int PaddingSame = 1;
        /// <summary>Padding code 2: explicit pads in bytes 40..43 of the entry.</summary>
        public const int PaddingExplicit = 2;
        /// <summary>Offset of the explicit padding bytes (top, left, bottom, right) in an operator entry.</summary>
        public const int OpOffPads = 40;

        /// <summary>Self-test section header bytes, and its limits.</summary>
        public const int SelfTestHeaderSize = 8;
        /// <summary>Most test frames a self-test section may hold.</summary>
        public const int MaxSelfTestFrames = 64;
        /// <summary>Largest self-test frame in bytes (the one buffer SelfTest allocates).</summary>
        public const int MaxSelfTestFrameBytes = 65536;

        // Limits (a file beyond them is rejected before anything is allocated).
        /// <summary>Most tensors a file may declare.</summary>
        public const int MaxTensors = 256;
        /// <summary>Most operators a file may declare.</summary>
        public const int MaxOperators = 256;
        /// <summary>Largest tensor and largest arena, in bytes (the device's largest object is about 786 KB).</summary>
        public const int MaxTensorBytes = 1 << 20;
        /// <summary>Largest planned arena, in bytes (1 MiB).</summary>
        public const int MaxArenaBytes = 1 << 20;
        /// <summary>
        /// Most multiply-accumulates a model may cost (all operators). Every operator's work is
        /// proportional to its MACs, so this bounds the time of a run: a crafted file cannot make
        /// inference run for hours. Real MCU models need 1-100 M.
        /// </summary>
        public const long MaxMacs = 1L << 30;
        /// <summary>
        /// Largest patch (KH x KW x input channels) of a Conv2D, in values. Bounds the kernels'
        /// scratch (4 longs per patch value) and keeps their lane sums far from int32 limits.
        /// </summary>
        public const int MaxPatch = 8192;
        /// <summary>
        /// Bound on |bias| + 255 x sum |w| per output channel of Conv2D, DepthwiseConv2D and
        /// FullyConnected (2^30): no accumulator, folded bias or tuned partial sum can leave int32.
        /// </summary>
        public const long MaxAccumulator = 1L << 30;
        /// <summary>Most output channels over all Conv2D, DepthwiseConv2D and FullyConnected operators together (bounds the per-channel data kept after load).</summary>
        public const int MaxChannels = 32768;
        /// <summary>Most longs of kernel scratch an Interpreter allocates (512 KB).</summary>
        public const int MaxScratchLongs = 65536;
        /// <summary>Largest file accepted (weights are copied once into RAM).</summary>
        public const int MaxFileBytes = 16 << 20;
        /// <summary>Tensor and weight scales must lie in [MinScale, MaxScale].</summary>
        public const float MinScale = 1e-12f;
        /// <summary>Largest tensor or weight scale accepted.</summary>
        public const float MaxScale = 1e6f;
        /// <summary>Rescale factors (input*weight/output, input/output) must lie below this (a shift of at most 30).</summary>
        public const double MaxEffectiveScale = 1073741824.0;
        /// <summary>Rescale factors below this have a zero multiplier and are rejected.</summary>
        public const double MinEffectiveScale = 4.656612873077393e-10; // 2^-31
    }
}
