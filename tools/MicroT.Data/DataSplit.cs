namespace MicroT.Data;

/// <summary>Which part of a data set to load (the split rules are in docs/DATA.md).</summary>
public enum DataSplit
{
    Train,
    Test,
    All,
}
