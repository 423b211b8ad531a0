namespace Hoist.Tests.Serve.Workers;

using System.ComponentModel;
using System.Diagnostics;
using Hoist.Serve.Workers;
using Hoist.Tests.Integration.Serve;

/// <summary>Real (tiny) processes: what PR_SET_PDEATHSIG does is the kernel's, so only a real fork shows it.</summary>
public sealed class ProcessStarterTests
{
    [Fact]
    public void A_Process_Asked_For_By_A_Thread_That_Then_Exits_Keeps_Running_While_One_That_Thread_Forked_Is_Killed()
    {
        using var starter = new ProcessStarter();
        using var direct = Sleeper();
        using var started = Sleeper();
        try
        {
            var sleeping = false;
            var asker = new Thread(() =>
            {
                direct.Start();
                starter.Start(started);
                // setpriv sets the parent-death signal, then execs sleep: a thread gone before that leaves nothing to fire it.
                sleeping = Sleeping(direct) && Sleeping(started);
            });
            asker.Start();
            asker.Join();
            Assert.True(sleeping, "setpriv did not exec sleep within 10 s");

            // The control: the child the short-lived thread forked itself gets its parent-death signal.
            Assert.True(direct.WaitForExit(10_000), "the process forked by the exited thread still runs");
            Assert.True(ProcView.Alive(started.Id), "the process the starter forked died with the thread that asked for it");
        }
        finally
        {
            Kill(direct);
            Kill(started);
        }
    }

    [Fact]
    public void A_Start_That_Fails_Throws_What_Process_Start_Threw()
    {
        using var starter = new ProcessStarter();
        using var missing = new Process { StartInfo = new ProcessStartInfo("/nonexistent/hoist-worker") { UseShellExecute = false } };

        Assert.Throws<Win32Exception>(() => starter.Start(missing));
    }

    [Fact]
    public void Start_After_Dispose_Throws_InvalidOperation()
    {
        var starter = new ProcessStarter();
        starter.Dispose();
        using var process = Sleeper();

        Assert.Throws<InvalidOperationException>(() => starter.Start(process));
    }

    private static Process Sleeper() =>
        new() { StartInfo = new ProcessStartInfo("setpriv", ["--pdeathsig", "KILL", "--", "sleep", "60"]) { UseShellExecute = false } };

    /// <summary>Waits (at most 10 s, never asserting: it runs on the asking thread) until the process runs sleep.</summary>
    private static bool Sleeping(Process process)
    {
        var watch = Stopwatch.StartNew();
        while (Comm(process.Id) != "sleep")
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10))
            {
                return false;
            }

            Thread.Yield();
        }

        return true;
    }

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill();
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Never started, or gone already.
        }
    }
}
