namespace MicroT.Data;

/// <summary>
/// Labelled 8-bit grayscale images (row-major, one byte per pixel, 0 = black), all of one
/// size, with the names of their classes. Label i names ClassNames[i].
/// </summary>
public sealed class LabeledImageSet
{
    public LabeledImageSet(int width, int height, byte[][] images, int[] labels, string[] classNames)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive, got {width}x{height}.");
        if (images.Length != labels.Length)
            throw new ArgumentException($"{images.Length} images but {labels.Length} labels.", nameof(labels));
        if (classNames.Length < 1)
            throw new ArgumentException("At least one class name is needed.", nameof(classNames));
        for (int i = 0; i < images.Length; i++)
        {
            if (images[i] == null || images[i].Length != width * height)
                throw new ArgumentException($"Image {i} has {images[i]?.Length ?? 0} bytes, expected {width}x{height} = {width * height}.", nameof(images));
            if (labels[i] < 0 || labels[i] >= classNames.Length)
                throw new ArgumentException($"Label {labels[i]} of image {i} is outside 0..{classNames.Length - 1}.", nameof(labels));
        }
        Width = width;
        Height = height;
        Images = images;
        Labels = labels;
        ClassNames = classNames;
    }

    public int Width { get; }
    public int Height { get; }
    /// <summary>Each image is Width*Height bytes, row-major.</summary>
    public byte[][] Images { get; }
    public int[] Labels { get; }
    public string[] ClassNames { get; }
    public int Count => Images.Length;
    public int ClassCount => ClassNames.Length;

    /// <summary>How many images each class has (index = label).</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassNames.Length];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>The images at the given indices, in that order (images shared, not copied).</summary>
    public LabeledImageSet Subset(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var images = new byte[indices.Length][];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int k = indices[i];
            if (k < 0 || k >= Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {k} is outside 0..{Count - 1}.");
            images[i] = Images[k];
            labels[i] = Labels[k];
        }
        return new LabeledImageSet(Width, Height, images, labels, ClassNames);
    }

    /// <summary>
    /// Per class (index = label), the indices of that class's images in a seeded shuffle: one
    /// Random(seed) shuffles the classes in label order, so the same seed gives the same order.
    /// A draw of k takes the first k of each class; the next ones are images the draw left out.
    /// </summary>
    public int[][] ShuffledPerClass(int seed)
    {
        var rng = new Random(seed);
        var order = new int[ClassCount][];
        for (int c = 0; c < ClassCount; c++)
        {
            var ofClass = new List<int>();
            for (int i = 0; i < Count; i++) if (Labels[i] == c) ofClass.Add(i);
            order[c] = ofClass.ToArray();
            rng.Shuffle(order[c]);
        }
        return order;
    }

    /// <summary>
    /// A few-shot sample: perClass images of every class, drawn without replacement by a
    /// seeded shuffle (<see cref="ShuffledPerClass"/>: the same seed gives the same sample),
    /// ordered by class then draw. Throws when a class has fewer than perClass images.
    /// </summary>
    public LabeledImageSet TakePerClass(int perClass, int seed)
    {
        if (perClass <= 0)
            throw new ArgumentOutOfRangeException(nameof(perClass), $"perClass must be positive, got {perClass}.");
        var order = ShuffledPerClass(seed);
        var chosen = new List<int>();
        for (int c = 0; c < ClassCount; c++)
        {
            if (order[c].Length < perClass)
                throw new InvalidOperationException($"Class {c} ('{ClassNames[c]}') has {order[c].Length} images, fewer than the {perClass} asked for.");
            chosen.AddRange(order[c].Take(perClass));
        }
        return Subset(chosen.ToArray());
    }

    /// <summary>
    /// Every image centred on a black canvas of width x height (e.g. 28x28 to the 32x32
    /// model input); the extra column or row of an odd margin goes right or bottom.
    /// </summary>
    public LabeledImageSet Padded(int width, int height)
    {
        if (width < Width || height < Height)
            throw new ArgumentOutOfRangeException(nameof(width), $"Cannot pad {Width}x{Height} images to the smaller {width}x{height}.");
        int left = (width - Width) / 2, top = (height - Height) / 2;
        var images = new byte[Count][];
        for (int i = 0; i < Count; i++)
        {
            var padded = new byte[width * height];
            for (int y = 0; y < Height; y++)
                Array.Copy(Images[i], y * Width, padded, (y + top) * width + left, Width);
            images[i] = padded;
        }
        return new LabeledImageSet(width, height, images, Labels, ClassNames);
    }
}
