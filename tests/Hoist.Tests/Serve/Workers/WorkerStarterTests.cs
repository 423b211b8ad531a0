namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

public sealed class WorkerStarterTests
{
    [Fact]
    public async Task A_Worker_Whose_Process_Cannot_Start_Leaves_No_Phantom_And_Stop_Succeeds()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        fixture.Runtime.StartFails = n => n == 1 ? new System.ComponentModel.Win32Exception(2, "No such file or directory") : null;

        var failures = await fixture.Supervisor.StartAsync(failFast: true).WaitAsync(SupervisorFixture.Bound);
        var live = fixture.Supervisor.Live;
        await fixture.Supervisor.StopAsync().WaitAsync(SupervisorFixture.Bound);

        Assert.Equal(["worker 1 could not be started: No such file or directory"], failures.Select(f => f.Replace("worker 2", "worker 1", StringComparison.Ordinal)));
        Assert.Single(live);
        Assert.All(live, w => Assert.Contains(w, fixture.Runtime.Started));
        Assert.Empty(fixture.Supervisor.Live);
        Assert.Single(fixture.Runtime.Stops);
    }

    [Fact]
    public async Task A_Worker_Not_Ready_In_Time_Is_Stopped_With_Mercy_As_Its_Sigterm_Grace_And_Its_Last_Lines_Are_Told()
    {
        using var fixture = new SupervisorFixture(workers: 1, c => c with { Mercy = TimeSpan.FromSeconds(7) });
        fixture.Runtime.Readiness = w =>
        {
            w.Output.Add("Traceback (most recent call last):");
            w.Output.Add("RuntimeError: DATABASE_URL is not set");
            return Task.FromResult((false, "exited with status 1 before becoming ready"));
        };

        var failures = await fixture.Supervisor.StartAsync(failFast: true).WaitAsync(SupervisorFixture.Bound);

        var stop = Assert.Single(fixture.Runtime.Stops);
        Assert.Equal(TimeSpan.FromSeconds(7), stop.Grace);
        Assert.Equal(Hoist.Serve.Native.SigTerm, stop.Signal);
        Assert.Equal(
            "worker 1 exited with status 1 before becoming ready\n  its last output:\n    Traceback (most recent call last):\n    RuntimeError: DATABASE_URL is not set",
            Assert.Single(failures));
        Assert.Contains("RuntimeError: DATABASE_URL is not set", fixture.Supervisor.Slots[0].LastFailure, StringComparison.Ordinal);
        Assert.Empty(fixture.Supervisor.Live);
    }
}
