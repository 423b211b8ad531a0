namespace Hoist.Tests.Serve.Logging;

using Hoist.Core;
using Hoist.Serve.Logging;
using Hoist.Tests.Support;

public sealed class ServeLogTests : IDisposable
{
    private readonly TempDir dir = new("hoist-servelog");

    [Fact]
    public void Rotation_Replaces_A_Link_At_Dot1_Without_Writing_Through_It()
    {
        var path = dir.Combine("serve.log");
        var target = dir.Write("target", "keep\n");
        File.CreateSymbolicLink(path + ".1", target);

        using (var log = new ServeLog(path, maxBytes: 100))
        {
            for (var i = 0; i < 5; i++)
            {
                log.Info($"line {i} {new string('x', 40)}");
            }
        }

        Assert.Equal("keep\n", File.ReadAllText(target));
        Assert.Null(new FileInfo(path + ".1").LinkTarget);
        Assert.Contains("line 4", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_To_Open_A_Link()
    {
        var path = dir.Combine("serve.log");
        var target = dir.Write("target", "keep\n");
        File.CreateSymbolicLink(path, target);

        var error = Assert.Throws<HoistException>(() => new ServeLog(path, maxBytes: 100));

        Assert.StartsWith($"logto {path} is a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep\n", File.ReadAllText(target));
    }

    [Fact]
    public void Writing_After_Dispose_Does_Nothing()
    {
        var path = dir.Combine("serve.log");
        var log = new ServeLog(path, maxBytes: 1000);
        log.Info("before");
        log.Dispose();

        // A worker's exit event can arrive after hoist serve closed its log on the way out.
        log.Info("after");
        log.Write("worker 1", "after");
        log.Dispose();

        Assert.DoesNotContain("after", File.ReadAllText(path), StringComparison.Ordinal);
    }

    public void Dispose() => dir.Dispose();
}
