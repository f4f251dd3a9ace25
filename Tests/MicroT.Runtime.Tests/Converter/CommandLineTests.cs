using System.ComponentModel;
using MicroT.Cli;
using Spectre.Console.Cli;
using Xunit;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>The option parser every `microt` command shares, on a settings class of its own.</summary>
public class CommandLineTests
{
    public enum Mode { Fast, Exact }

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<input>")] public string Input { get; set; }
        [CommandArgument(1, "[extra]")] public string Extra { get; set; }
        [CommandOption("-o|--output <FILE>")] public string Output { get; set; }
        [CommandOption("--count <N>")][DefaultValue(3)] public int Count { get; set; }
        [CommandOption("--big <N>")] public long Big { get; set; }
        [CommandOption("--share <S>")][DefaultValue(0.5)] public double Share { get; set; }
        [CommandOption("--mode <MODE>")][DefaultValue(Mode.Fast)] public Mode Mode { get; set; }
        [CommandOption("--verbose")] public bool Verbose { get; set; }
        [CommandOption("-t|--task <TASK>")] public string[] Tasks { get; set; } = [];
    }

    static Settings Parse(params string[] args) => (Settings)CommandLine.Parse(typeof(Settings), "test", args);
    static string Fails(params string[] args) => Assert.Throws<UsageException>(() => Parse(args)).Message;

    [Fact]
    public void ValuesDefaultsFlagsListsAndTheEndOfOptions()
    {
        var s = Parse("in", "-o", "out.mtm", "--share=-0.25", "--verbose", "-t", "a", "--task=b", "--big", "5000000000", "--mode", "exact");
        Assert.Equal(("in", null, "out.mtm", 3, -0.25, true), (s.Input, s.Extra, s.Output, s.Count, s.Share, s.Verbose));
        Assert.Equal(new[] { "a", "b" }, s.Tasks);
        Assert.Equal(5000000000L, s.Big);
        Assert.Equal(Mode.Exact, s.Mode);
        s = Parse("--", "-input-", "-5");
        Assert.Equal(("-input-", "-5", 3, 0.5, Mode.Fast, false), (s.Input, s.Extra, s.Count, s.Share, s.Mode, s.Verbose));
        Assert.Equal(new[] { "x", "-1,1" }, new[] { Parse("x", "-o", "-1,1").Input, Parse("x", "-o", "-1,1").Output });
    }

    [Fact]
    public void EveryMistakeNamesWhatIsWrong()
    {
        Assert.Equal("unknown option '--cuont' for 'microt test'. Did you mean '--count'?", Fails("in", "--cuont", "2"));
        Assert.Equal("unknown option '-x' for 'microt test'.", Fails("in", "-x"));
        Assert.Equal("option '--count' needs a whole number, not '2.5'.", Fails("in", "--count", "2.5"));
        Assert.Equal("option '--share' needs a number (e.g. 0.5), not 'half'.", Fails("in", "--share=half"));
        Assert.Equal("option '--mode' is one of fast, exact, not 'slow'.", Fails("in", "--mode", "slow"));
        Assert.Equal("option '--output' needs a value: --output <FILE>.", Fails("in", "-o"));
        Assert.Equal("option '--output' is given twice.", Fails("in", "-o", "a", "--output", "b"));
        Assert.Equal("option '--verbose' is a flag: give it without a value (or =true / =false), not 'yes'.", Fails("in", "--verbose=yes"));
        Assert.Equal("'microt test' needs the argument <input>.", Fails("--verbose"));
        Assert.StartsWith("unexpected argument 'c' for 'microt test' (it takes <input> [extra])", Fails("a", "b", "c"));
    }

    [Fact]
    public void HelpListsEveryOptionWithItsDefault()
    {
        var help = CommandLine.Help("test", typeof(Settings), "A test command.", ["test in --count 2"]);
        Assert.Contains("Usage: microt test <input> [extra] [OPTIONS]", help);
        Assert.Contains("--count <N>", help);
        Assert.Contains("[default: 3]", help);
        Assert.Contains("-t, --task <TASK>", help);
        Assert.Contains("microt test in --count 2", help);
        Assert.True(CommandLine.WantsHelp(["in", "-h"]));
        Assert.False(CommandLine.WantsHelp(["--", "-h"]));
    }
}
