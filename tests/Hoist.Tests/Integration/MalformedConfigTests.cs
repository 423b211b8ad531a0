namespace Hoist.Tests.Integration;

using System.Text;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Hostile or broken config files through the real binary: each ends with one short <c>error:</c> naming the file
/// (and the line, where there is one), the config-error exit code, in bounded time, memory and output.
/// </summary>
public sealed class MalformedConfigTests(ITestOutputHelper output) : IDisposable
{
    // The README's exit code for a config or usage error.
    private const int ConfigErrorExitCode = 2;
    private const long MaxPeakRssKiB = 300 * 1024;
    private const int MaxOutputChars = 16 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    public static TheoryData<string> Cases() =>
    [
        "deep-flow-mappings", "deep-flow-lists", "huge-value", "big-value", "many-unknown-keys", "fifo", "dev-zero",
        "folder", "binary", "invalid-utf8", "alias-bomb", "link-to-fifo", "link-to-dev-zero", "link-to-folder",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_Config_Fails_With_One_Bounded_Error(string name)
    {
        var (file, where) = Make(name);

        var (result, rss) = await HoistCli.RunMeasuredAsync(dir.Path, Deadline, "check", "-c", file);

        var firstLine = result.Stderr.Split('\n')[0];
        output.WriteLine($"{name}: exit {result.ExitCode}, peak RSS {rss / 1024} MiB, stdout {result.Stdout.Length} chars, stderr {result.Stderr.Length} chars");
        output.WriteLine($"first line: {Shorten(firstLine)}");
        Assert.Equal(ConfigErrorExitCode, result.ExitCode);
        Assert.StartsWith("error: " + where, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.True(result.All.Length < MaxOutputChars, $"{result.All.Length} chars of output");
        Assert.True(rss < MaxPeakRssKiB, $"peak RSS {rss} KiB");
    }

    [Fact]
    public async Task Default_Hoist_Yml_Linked_To_A_Fifo_Fails_Without_Opening_It()
    {
        var fifo = dir.Combine("fifo.yml");
        Assert.Equal(0, (await Run.ProcessAsync("mkfifo", [fifo])).ExitCode);
        File.CreateSymbolicLink(dir.Combine("hoist.yml"), fifo);

        var (result, rss) = await HoistCli.RunMeasuredAsync(dir.Path, Deadline, "check");

        output.WriteLine($"./hoist.yml -> FIFO: exit {result.ExitCode}, peak RSS {rss / 1024} MiB\n{result.All.Trim()}");
        Assert.Equal(ConfigErrorExitCode, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
        Assert.Contains("hoist.yml: is a FIFO, not a regular file", result.Stderr);
    }

    private (string File, string Where) Make(string name)
    {
        var file = dir.Combine("hoist.yml");
        const string valid = "app: demo\nrepo: /srv/git/demo.git\nhosts: { web: 10.0.0.1 }\n";
        switch (name)
        {
            case "deep-flow-mappings":
                Write(file, "app: " + Repeat("{a: ", 20_000) + "1" + Repeat("}", 20_000) + "\n");
                return (file, file + ":1:");
            case "deep-flow-lists":
                Write(file, valid + "build: " + Repeat("[", 100_000) + Repeat("]", 100_000) + "\n");
                return (file, file + ":4:");
            case "huge-value":
                Write(file, "app: " + new string('x', 50 * 1024 * 1024) + "\nrepo: /r\nhosts: { web: h }\n");
                return (file, file + ": ");
            case "big-value":
                Write(file, "app: " + new string('X', 900 * 1024) + "\nrepo: /r\nhosts: { web: h }\n");
                return (file, file + ":1:");
            case "many-unknown-keys":
                Write(file, valid + string.Concat(Enumerable.Range(0, 60_000).Select(i => $"k{i}: 1\n")));
                return (file, file + ":4:");
            case "fifo":
                Assert.Equal(0, Run.ProcessAsync("mkfifo", [file]).GetAwaiter().GetResult().ExitCode);
                return (file, file + ": ");
            case "link-to-fifo":
                var fifo = dir.Combine("fifo.yml");
                Assert.Equal(0, Run.ProcessAsync("mkfifo", [fifo]).GetAwaiter().GetResult().ExitCode);
                File.CreateSymbolicLink(file, fifo);
                return (file, file + ": is a FIFO, not a regular file");
            case "link-to-dev-zero":
                File.CreateSymbolicLink(file, "/dev/zero");
                return (file, file + ": is a device, not a regular file");
            case "link-to-folder":
                Directory.CreateDirectory(dir.Combine("conf"));
                File.CreateSymbolicLink(file, dir.Combine("conf"));
                return (file, file + ": ");
            case "dev-zero":
                return ("/dev/zero", "/dev/zero: ");
            case "folder":
                Directory.CreateDirectory(file);
                return (file, file + ": ");
            case "binary":
                var bytes = new byte[64 * 1024];
                new Random(10).NextBytes(bytes);
                File.WriteAllBytes(file, bytes);
                return (file, file + ":");
            case "invalid-utf8":
                File.WriteAllBytes(file, [.. Encoding.UTF8.GetBytes(valid + "branch: ma"), 0xff, 0xfe, (byte)'\n']);
                return (file, file + ":4:");
            case "alias-bomb":
                var bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
                for (var level = 'b'; level <= 'j'; level++)
                {
                    var previous = (char)(level - 1);
                    bomb.Append($"{level}: &{level} [{string.Join(", ", Enumerable.Repeat("*" + previous, 9))}]\n");
                }

                Write(file, valid + "build: *j\nenv: { *j : 1 }\n" + bomb);
                return (file, file + ":");
            default:
                throw new ArgumentException(name, nameof(name));
        }
    }

    private static void Write(string file, string text) => File.WriteAllText(file, text);

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static string Shorten(string line) => line.Length <= 300 ? line : line[..300] + $"… ({line.Length} chars)";
}
