namespace MicroT.Cli;

/// <summary>A problem a user can fix that is not about a model (an output that cannot be written): one "error:" line, exit 1.</summary>
public sealed class CliException : Exception
{
    public CliException(string message, Exception inner = null) : base(message, inner) { }
}

/// <summary>
/// Outputs are checked before a command does its work, so a bad path fails in a second, not
/// after the whole run: the folder must exist (or be creatable) and be writable, and an existing
/// file is only replaced when the user asked for it (`--force`).
/// </summary>
public static class Outputs
{
    /// <summary>Checks that <paramref name="path"/> can be written; returns whether it exists (and will be replaced).</summary>
    public static bool CheckFile(string path, bool force, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliException($"{option} is empty: give a file name.");
        if (Directory.Exists(path)) throw new CliException($"{option} '{path}' is a folder; give a file name.");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!Directory.Exists(folder)) throw new CliException($"cannot write '{path}': the folder '{folder}' does not exist.");
        bool exists = File.Exists(path);
        if (exists && !force)
            throw new CliException($"'{path}' already exists; nothing was changed. Give another {option} or add --force to overwrite it.");
        Probe(() =>
        {
            if (exists) { using (File.Open(path, FileMode.Open, FileAccess.Write)) { } }
            else { using (File.Create(path)) { } File.Delete(path); }
        }, path);
        return exists;
    }

    /// <summary>Creates <paramref name="folder"/> if needed and checks a file can be written into it.</summary>
    public static void CheckFolder(string folder, string option)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new CliException($"{option} is empty: give a folder.");
        if (File.Exists(folder)) throw new CliException($"{option} '{folder}' is a file; give a folder.");
        Probe(() =>
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, ".microt-write-test-" + Environment.ProcessId);
            using (File.Create(probe)) { }
            File.Delete(probe);
        }, folder);
    }

    static void Probe(Action write, string path)
    {
        try { write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CliException($"cannot write '{path}': {e.Message}", e);
        }
    }
}
