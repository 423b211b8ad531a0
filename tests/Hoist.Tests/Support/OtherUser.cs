namespace Hoist.Tests.Support;

using System.Diagnostics;
using System.Globalization;

/// <summary>
/// A throwaway Unix user (no home, no login shell) for drills where someone else shares a folder with the server:
/// what it plants, it plants as itself (runuser), and it is removed with everything it started when the test ends.
/// </summary>
internal sealed class OtherUser : IAsyncDisposable
{
    private readonly List<Process> started = [];

    private OtherUser(string name, int uid)
    {
        Name = name;
        Uid = uid;
    }

    public string Name { get; }

    public int Uid { get; }

    public static async Task<OtherUser> CreateAsync()
    {
        var name = "hoistx" + Guid.NewGuid().ToString("N")[..8];
        await Run.ShellAsync($"useradd --system --no-create-home --shell /usr/sbin/nologin {name}");
        var uid = int.Parse((await Run.ShellAsync($"id -u {name}")).Trim(), CultureInfo.InvariantCulture);
        return new OtherUser(name, uid);
    }

    /// <summary>Runs a program as this user, failing the test if it fails.</summary>
    public async Task<string> RunAsync(string file, params string[] args)
    {
        var result = await Run.ProcessAsync("runuser", ["-u", Name, "--", file, .. args]);
        Assert.True(result.ExitCode == 0, $"as {Name}: {file} {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    /// <summary>Starts a program as this user; it is killed when the user is removed.</summary>
    public Process Start(string file, params string[] args)
    {
        var process = Run.Start("runuser", ["-u", Name, "--", file, .. args]);
        started.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in started)
        {
            await Run.KillAsync(process);
        }

        await Run.ProcessAsync("userdel", [Name]);
    }
}
