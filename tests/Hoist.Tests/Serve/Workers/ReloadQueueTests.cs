namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

public sealed class ReloadQueueTests
{
    private readonly SemaphoreSlim changes = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly List<string> ran = [];
    private TaskCompletionSource<ReloadOutcome> running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task Requests_While_One_Waits_To_Start_Share_It_And_Its_Outcome()
    {
        var queue = Queue();
        await changes.WaitAsync(); // another change of the pool (a restart, say) is under way

        var first = queue.Request("SIGHUP");
        var second = queue.Request("touch-reload");
        var third = queue.Request("control socket");
        changes.Release();
        running.SetResult(Outcome("reloaded"));
        var outcomes = await Task.WhenAll(first, second, third).WaitAsync(SupervisorFixture.Bound);

        Assert.Same(first, second);
        Assert.Same(first, third);
        Assert.Equal(["SIGHUP"], ran);
        Assert.All(outcomes, o => Assert.Equal("reloaded", o.Message));
    }

    [Fact]
    public async Task Requests_Sharing_A_Reload_Give_It_The_Longest_Hold_Any_Of_Them_Asked()
    {
        var queue = Queue();
        await changes.WaitAsync();

        var first = queue.Request("SIGHUP");
        var second = queue.Request("control socket", TimeSpan.FromSeconds(120));
        var third = queue.Request("control socket", TimeSpan.FromSeconds(30));
        changes.Release();
        running.SetResult(Outcome("reloaded"));
        await Task.WhenAll(first, second, third).WaitAsync(SupervisorFixture.Bound);

        Assert.Equal(["SIGHUP hold 120"], ran);
    }

    [Fact]
    public async Task A_Request_While_One_Runs_Makes_One_More_Shared_By_All_That_Arrive_Meanwhile()
    {
        var queue = Queue();
        var first = queue.Request("one");
        await WaitUntilAsync(() => Ran() == 1);

        var second = queue.Request("two");
        var third = queue.Request("three");
        var firstRun = running;
        running = new TaskCompletionSource<ReloadOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        running.SetResult(Outcome("second reload"));
        firstRun.SetResult(Outcome("first reload"));

        Assert.Equal("first reload", (await first.WaitAsync(SupervisorFixture.Bound)).Message);
        Assert.Equal("second reload", (await second.WaitAsync(SupervisorFixture.Bound)).Message);
        Assert.Same(second, third);
        Assert.Equal(["one", "two"], ran);
    }

    [Fact]
    public async Task A_Reload_Waiting_When_Hoist_Serve_Stops_Is_Abandoned_Not_Run()
    {
        var queue = Queue();
        await changes.WaitAsync();
        var waiting = queue.Request("SIGHUP");
        await stopping.CancelAsync();
        changes.Release();

        var outcome = await waiting.WaitAsync(SupervisorFixture.Bound);

        Assert.True(outcome.Abandoned);
        Assert.Empty(ran);
    }

    [Fact]
    public async Task A_Reload_That_Throws_Answers_Its_Requests_With_A_Failure_And_Frees_The_Next()
    {
        var queue = new ReloadQueue(changes, (_, _) => throw new IOException("disk full"), () => Outcome("abandoned"), m => Outcome(m, ok: false), stopping.Token);

        var outcome = await queue.Request("SIGHUP").WaitAsync(SupervisorFixture.Bound);

        Assert.False(outcome.Ok);
        Assert.Equal("reload failed: disk full", outcome.Message);
        Assert.Equal(1, changes.CurrentCount);
    }

    private ReloadQueue Queue() => new(changes, (reason, hold) =>
    {
        lock (ran)
        {
            ran.Add(hold is { } held ? $"{reason} hold {held.TotalSeconds}" : reason);
        }

        return running.Task;
    }, () => new ReloadOutcome(false, "abandoned", 1, DateTimeOffset.UnixEpoch, Abandoned: true), m => Outcome(m, ok: false), stopping.Token);

    private int Ran()
    {
        lock (ran)
        {
            return ran.Count;
        }
    }

    private static ReloadOutcome Outcome(string message, bool ok = true) => new(ok, message, 2, DateTimeOffset.UnixEpoch);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var real = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(real.Elapsed < SupervisorFixture.Bound, "never happened");
            await Task.Delay(1);
        }
    }
}
