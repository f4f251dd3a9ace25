using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text;
using Spectre.Console.Cli;

namespace MicroT.Cli;

/// <summary>A mistake on the command line: printed as one "usage error:" line, exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}

/// <summary>
/// The one option parser of every `microt` command. A command's options and arguments are the
/// [CommandOption] / [CommandArgument] properties of its Settings class (with [Description] and
/// [DefaultValue]), so adding an option is adding a property. The rules are the same for every
/// command: `--name value` or `--name=value`, `-x value` for a short name, a flag takes no value,
/// a list option may repeat, `--` ends the options. An unknown or misspelled option, a missing
/// value, a value that is not of the option's type, a single-valued option given twice, and a
/// missing or extra argument are each a <see cref="UsageException"/> naming the option or argument.
/// </summary>
public static class CommandLine
{
    public sealed class Option
    {
        public string[] LongNames, ShortNames;
        public string ValueName, Description;
        public object Default;
        public PropertyInfo Property;
        public bool IsFlag => Property.PropertyType == typeof(bool);
        public bool IsList => Property.PropertyType == typeof(string[]);
        /// <summary>How messages name it: its first long name (--output).</summary>
        public string Name => LongNames.Length > 0 ? "--" + LongNames[0] : "-" + ShortNames[0];
        public string Usage => string.Join(", ", ShortNames.Select(n => "-" + n).Concat(LongNames.Select(n => "--" + n))) + (IsFlag ? "" : $" <{ValueName}>");
    }

    public sealed class Argument
    {
        public int Position;
        public string ValueName, Description;
        public bool Required;
        public PropertyInfo Property;
        public string Usage => Required ? $"<{ValueName}>" : $"[{ValueName}]";
    }

    public static List<Option> Options(Type settings) => settings.GetProperties()
        .Select(p => (p, a: p.GetCustomAttribute<CommandOptionAttribute>()))
        .Where(x => x.a != null && !x.a.IsHidden)
        .Select(x => new Option
        {
            LongNames = x.a.LongNames.ToArray(), ShortNames = x.a.ShortNames.ToArray(), ValueName = x.a.ValueName ?? "VALUE",
            Description = x.p.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "",
            Default = x.p.GetCustomAttribute<DefaultValueAttribute>()?.Value, Property = x.p,
        }).ToList();

    public static List<Argument> Arguments(Type settings) => settings.GetProperties()
        .Select(p => (p, a: p.GetCustomAttribute<CommandArgumentAttribute>()))
        .Where(x => x.a != null)
        .Select(x => new Argument
        {
            Position = x.a.Position, ValueName = x.a.ValueName, Required = x.a.IsRequired, Property = x.p,
            Description = x.p.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "",
        }).OrderBy(a => a.Position).ToList();

    /// <summary>True when the arguments ask for help (-h or --help before any `--`).</summary>
    public static bool WantsHelp(IEnumerable<string> args) => args.TakeWhile(a => a != "--").Any(a => a is "-h" or "--help");

    /// <summary>A new Settings object filled from <paramref name="args"/> (the words after the command name).</summary>
    public static object Parse(Type settings, string command, IReadOnlyList<string> args)
    {
        var options = Options(settings);
        var arguments = Arguments(settings);
        var s = Activator.CreateInstance(settings);
        foreach (var o in options)
            if (o.Default != null)
                o.Property.SetValue(s, o.Property.PropertyType.IsEnum ? Enum.ToObject(o.Property.PropertyType, o.Default)
                    : System.Convert.ChangeType(o.Default, o.Property.PropertyType, CultureInfo.InvariantCulture));
        var given = new HashSet<Option>();
        var lists = new Dictionary<Option, List<string>>();
        var positional = new List<string>();
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (!optionsEnded && a == "--") { optionsEnded = true; continue; }
            if (optionsEnded || a.Length < 2 || a[0] != '-' || double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                positional.Add(a);
                continue;
            }
            bool isLong = a.StartsWith("--", StringComparison.Ordinal);
            string body = a.Substring(isLong ? 2 : 1), value = null;
            int eq = body.IndexOf('=');
            if (eq >= 0) { value = body.Substring(eq + 1); body = body.Substring(0, eq); }
            string written = (isLong ? "--" : "-") + body;
            var o = options.FirstOrDefault(x => (isLong ? x.LongNames : x.ShortNames).Contains(body, StringComparer.Ordinal))
                ?? throw new UsageException($"unknown option '{written}' for 'microt {command}'.{Suggestion(written, options)}");
            if (o.IsFlag)
            {
                if (value == null) value = "true";
                else if (!bool.TryParse(value, out _)) throw new UsageException($"option '{o.Name}' is a flag: give it without a value (or =true / =false), not '{value}'.");
            }
            else if (value == null)
            {
                if (i + 1 >= args.Count) throw new UsageException($"option '{o.Name}' needs a value: {o.Name} <{o.ValueName}>.");
                value = args[++i];
            }
            if (o.IsList)
            {
                if (!lists.TryGetValue(o, out var list)) lists[o] = list = new List<string>();
                list.Add(value);
                continue;
            }
            if (!given.Add(o)) throw new UsageException($"option '{o.Name}' is given twice.");
            o.Property.SetValue(s, Convert(o, value));
        }
        foreach (var (o, list) in lists) o.Property.SetValue(s, list.ToArray());
        for (int j = 0; j < positional.Count; j++)
        {
            if (j >= arguments.Count)
                throw new UsageException(positional[j].StartsWith('-')
                    ? $"unknown option '{positional[j]}' for 'microt {command}'."
                    : $"unexpected argument '{positional[j]}' for 'microt {command}' (it takes {(arguments.Count == 0 ? "no arguments" : string.Join(" ", arguments.Select(x => x.Usage)))}).");
            arguments[j].Property.SetValue(s, positional[j]);
        }
        var missing = arguments.Skip(positional.Count).FirstOrDefault(x => x.Required);
        if (missing != null) throw new UsageException($"'microt {command}' needs the argument {missing.Usage}.");
        return s;
    }

    static object Convert(Option o, string value)
    {
        var t = o.Property.PropertyType;
        if (t == typeof(string)) return value;
        if (t == typeof(bool)) return bool.Parse(value);
        if (t == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i
                : throw new UsageException($"option '{o.Name}' needs a whole number, not '{value}'.");
        if (t == typeof(long))
            return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) ? l
                : throw new UsageException($"option '{o.Name}' needs a whole number, not '{value}'.");
        if (t == typeof(double) || t == typeof(float))
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) && (t == typeof(double) || Math.Abs(d) <= float.MaxValue)
                ? (t == typeof(double) ? d : (object)(float)d)
                : throw new UsageException($"option '{o.Name}' needs a number (e.g. 0.5), not '{value}'.");
        if (t.IsEnum)
            return Enum.GetNames(t).FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase)) is { } name ? Enum.Parse(t, name)
                : throw new UsageException($"option '{o.Name}' is one of {string.Join(", ", Enum.GetNames(t).Select(n => n.ToLowerInvariant()))}, not '{value}'.");
        throw new InvalidOperationException($"option '{o.Name}': properties of type {t.Name} are not supported by the parser.");
    }

    /// <summary>" Did you mean '--seed'?" for a close misspelling, else empty.</summary>
    static string Suggestion(string written, List<Option> options)
    {
        var names = options.SelectMany(o => o.LongNames.Select(n => "--" + n).Concat(o.ShortNames.Select(n => "-" + n))).Append("--help");
        var best = names.Select(n => (n, d: Distance(n, written))).OrderBy(x => x.d).FirstOrDefault();
        return best.n != null && written.Length > 3 && best.d <= written.Length / 3 ? $" Did you mean '{best.n}'?" : "";
    }

    static int Distance(string a, string b)
    {
        var d = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) d[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int prev = d[0];
            d[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cur = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                prev = cur;
            }
        }
        return d[b.Length];
    }

    /// <summary>The help of one command, plain text (no markup: descriptions may hold brackets).</summary>
    public static string Help(string command, Type settings, string description, string[] examples)
    {
        var options = Options(settings);
        var arguments = Arguments(settings);
        var sb = new StringBuilder();
        sb.AppendLine(description).AppendLine();
        sb.AppendLine("Usage: microt " + command + string.Concat(arguments.Select(a => " " + a.Usage)) + " [OPTIONS]");
        var rows = arguments.Select(a => (a.Usage, a.Description))
            .Concat(options.Select(o => (o.Usage, o.Description + (o.Default != null && !o.Description.Contains("default", StringComparison.OrdinalIgnoreCase)
                ? $" [default: {System.Convert.ToString(o.Default, CultureInfo.InvariantCulture)}]" : ""))))
            .Append(("-h, --help", "Print this help.")).ToList();
        int width = rows.Max(r => r.Item1.Length) + 2;
        if (arguments.Count > 0)
        {
            sb.AppendLine().AppendLine("Arguments:");
            foreach (var r in rows.Take(arguments.Count)) sb.AppendLine("  " + r.Item1.PadRight(width) + r.Item2);
        }
        sb.AppendLine().AppendLine("Options:");
        foreach (var r in rows.Skip(arguments.Count)) sb.AppendLine("  " + r.Item1.PadRight(width) + r.Item2);
        if (examples.Length > 0)
        {
            sb.AppendLine().AppendLine(examples.Length == 1 ? "Example:" : "Examples:");
            foreach (var e in examples) sb.AppendLine("  microt " + e);
        }
        return sb.ToString();
    }
}
