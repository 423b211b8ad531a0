namespace Hoist.Tests.Deploy;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Shell;
using Hoist.Tests.Support;

/// <summary>The venv step run by a real bash against a fake python3: what a host without python3-venv, or a release that brought a venv, is told.</summary>
public sealed class VenvScriptTests : IDisposable
{
    private readonly TempDir dir = new("hoist-venv-script");

    public void Dispose() => dir.Dispose();

    /// <summary>The step, with <paramref name="python3"/> (a sh script's body) as the host's python3.</summary>
    private async Task<RunResult> RunAsync(PythonConfig python, string python3)
    {
        dir.Write("bin/python3", "#!/bin/sh\n" + python3);
        File.SetUnixFileMode(dir.Combine("bin/python3"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(dir.Combine("release"));
        var script = new ScriptBuilder("test").Raw("set -eu")
            .Line(ShellCommand.Raw("PATH=" + ShellQuote.Quote(dir.Combine("bin")) + ":\"$PATH\""))
            .Line(ShellCommand.Raw("R=" + ShellQuote.Quote(dir.Combine("release"))));
        VenvScript.Add(script, python, []);
        return await Run.ProcessAsync("bash", ["-c", script.Build().Render(reveal: true)]);
    }

    [Fact]
    public async Task A_Host_Without_Python3_Venv_Is_Told_The_Debian_Package_And_Nothing_Is_Made()
    {
        // Like Debian's python3 without python3-venv: no ensurepip; any other call is recorded.
        var run = await RunAsync(new PythonConfig(true, null, true), $"case \"$*\" in *ensurepip*) exit 1 ;; esac\necho \"$*\" >> {dir.Combine("calls")}\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            "python.venv: this host's python3 cannot make a virtualenv, its package python3-venv is missing; install it (Debian: apt-get install python3-venv; hoist setup does so when python.venv is true) or remove python.venv\n",
            run.Stderr);
        Assert.False(File.Exists(dir.Combine("calls")), "python3 was asked to make the venv anyway");
    }

    [Fact]
    public async Task A_Release_That_Brought_A_Venv_Is_Refused()
    {
        Directory.CreateDirectory(dir.Combine("release", "venv"));

        // A python3 that has ensurepip: only the release's own venv/ stops the step.
        var run = await RunAsync(new PythonConfig(true, null, false), "exit 0\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("python.venv: the release already holds venv/ (from the repository, the upload or shared:); remove it from there", run.Stderr, StringComparison.Ordinal);
    }
}
