namespace Hoist.Tests.Support;

using System.Diagnostics;

/// <summary>
/// Busy loops, one per core, at normal priority, for as long as the test holds it (at most ten minutes): the CPU a
/// loaded server has, so that what a test claims about requests and reloads holds when the workers must compete.
/// </summary>
public sealed class CpuHog : IDisposable
{
    private readonly List<Process> loops;
    private readonly (long Idle, long Total) started = CpuTimes();

    private CpuHog(List<Process> loops) => this.loops = loops;

    /// <summary>The share of this machine's CPU time that was idle since the hog started: near 0 when it saturates.</summary>
    public double IdleShare
    {
        get
        {
            var now = CpuTimes();
            return now.Total == started.Total ? 0 : (double)(now.Idle - started.Idle) / (now.Total - started.Total);
        }
    }

    public override string ToString() => $"CPU hog: {CpuSeconds:F0} CPU s, machine idle {IdleShare:P0}";

    public static CpuHog Start() =>
        new(Enumerable.Range(0, Environment.ProcessorCount)
            // Each its own session: with autogroup scheduling a session shares the CPU equally with every other
            // session, so loops in the test's own one would only compete with the test itself.
            .Select(_ => Run.Start("setsid", ["timeout", "600", "sh", "-c", "while :; do :; done"]))
            .ToList());

    /// <summary>CPU seconds the loops have used so far: proof that they ran.</summary>
    public double CpuSeconds => loops.Sum(p =>
    {
        try
        {
            return p.HasExited ? 0 : Children(p.Id).Sum(CpuOf) + CpuOf(p.Id);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    });

    public void Dispose()
    {
        foreach (var loop in loops)
        {
            if (!loop.HasExited)
            {
                loop.Kill(entireProcessTree: true);
                loop.WaitForExit();
            }

            loop.Dispose();
        }
    }

    /// <summary>Idle (idle + iowait) and total jiffies of all CPUs, from /proc/stat.</summary>
    private static (long Idle, long Total) CpuTimes()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (fields[3] + fields[4], fields.Sum());
    }

    private static IEnumerable<int> Children(int pid)
    {
        var file = $"/proc/{pid}/task/{pid}/children";
        return File.Exists(file) ? File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse) : [];
    }

    /// <summary>utime + stime of a process, in seconds (clock ticks are 100 a second on Linux).</summary>
    private static double CpuOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
