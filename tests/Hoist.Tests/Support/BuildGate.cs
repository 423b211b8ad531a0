namespace Hoist.Tests.Support;

/// <summary>
/// A build step that marks that it started, then waits (bounded) until the test lets it go: a deploy held at a known
/// point, with its lock taken, for as long as the test needs, where a `sleep N` would be outlasted by a loaded machine.
/// </summary>
internal sealed class BuildGate(TempDir dir, string name = "build-gate")
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private string Started => dir.Combine(name + ".started");

    private string Opened => dir.Combine(name + ".open");

    /// <summary>The shell step, for hoist.yml's build list (no double quotes in it); it fails if never let go.</summary>
    public string Step => $"touch '{Started}'; i=0; until [ -e '{Opened}' ]; do i=$((i+1)); [ $i -lt 2400 ] || exit 1; sleep 0.05; done";

    /// <summary>A shell step that waits (bounded) until a build of <see cref="Step"/> has started, e.g. on another host.</summary>
    public string AwaitStarted => $"i=0; until [ -e '{Started}' ]; do i=$((i+1)); [ $i -lt 2400 ] || exit 1; sleep 0.05; done";

    public bool HasStarted => File.Exists(Started);

    /// <summary>Waits until a build started; fails if one of <paramref name="deploys"/> ended first.</summary>
    public async Task WaitStartedAsync(params Task[] deploys)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!File.Exists(Started))
        {
            Assert.False(deadline.IsCancellationRequested, $"no build started within {Deadline.TotalSeconds:0} s");
            Assert.DoesNotContain(deploys, d => d.IsCompleted);
            await Task.Delay(20);
        }
    }

    public void Open() => File.WriteAllText(Opened, "");
}
