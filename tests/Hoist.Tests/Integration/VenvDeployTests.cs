namespace Hoist.Tests.Integration;

using System.Diagnostics;
using System.Text.Json;
using Hoist.Tests.Integration.Serve;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// python: { venv: true } over a real sshd: each release gets its own venv/ from the host's python3, the requirements
/// installed by its pip before build:, and hoist serve reading the same hoist.yml runs its workers under that venv.
/// </summary>
public sealed class VenvDeployTests(ITestOutputHelper output) : SshdTest
{
    private const string Python = "python: { venv: true, requirements: requirements.txt, system_site_packages: true }";

    [Fact]
    public async Task Deploy_Builds_The_Release_Venv_Before_Build_And_Hoist_Serve_Runs_The_Workers_Under_It()
    {
        ServeApps.CopyFlaskrApp(Dir.Combine("publish"));
        // flask comes from Debian's python3-flask through --system-site-packages: pip finds it installed, offline.
        Dir.Write("publish/requirements.txt", "flask\n");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", Python + "\nbuild: venv/bin/python -c 'import sys, flask; print(sys.prefix)' > built-with.txt");

        var clock = Stopwatch.StartNew();
        var deploy = await project.HoistAsync("deploy");
        output.WriteLine($"deploy ({clock.Elapsed.TotalSeconds:0.0}s): {deploy}");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var release = Path.Combine(project.DeployTo, "releases", project.Current());
        Assert.True(File.Exists(Path.Combine(release, "venv", "bin", "python")), "no venv/bin/python in the release");
        Assert.Contains("Requirement already satisfied: flask", deploy.Stdout, StringComparison.Ordinal);
        // The build ran after the venv was made, under it.
        Assert.Equal(Path.Combine(release, "venv"), project.ReadCurrent("built-with.txt").Trim());
        // Offline: pip answered from what is installed, not after a network timeout (pip's default is 15 s per try).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"deploy took {clock.Elapsed}");

        var socket = Dir.Combine("serve", "app.sock");
        var yml = Dir.Write("serve/hoist.yml", string.Join('\n',
            Python, "serve:", $"  socket: {socket}", "  processes: 2", $"  chdir: {project.DeployTo}/current", "  module: flaskr:create_app()",
            "  healthcheck: /up", "  ready_timeout: 20", $"  logto: {Dir.Combine("serve", "serve.log")}", ""));
        await using var serve = await ServeProcess.StartAsync(yml, socket + ".ctl", ready: 2, Dir.Combine("serve", "serve.log"));
        using var http = UnixHttp.Create(socket);

        using var about = JsonDocument.Parse(await http.GetStringAsync("about"));

        output.WriteLine($"GET /about: {about.RootElement}");
        Assert.Equal(Path.Combine(release, "venv"), about.RootElement.GetProperty("prefix").GetString());
    }

    [Fact]
    public async Task A_Requirements_File_Missing_From_The_Release_Fails_The_Deploy_Naming_It_And_Leaves_No_Release()
    {
        ServeApps.CopyFlaskrApp(Dir.Combine("publish"));
        var project = Project.Create(Dir, Sshd, "upload: ./publish", Python);

        var deploy = await project.HoistAsync("deploy");

        output.WriteLine(deploy.ToString());
        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains("step 'python: venv' failed", deploy.Stderr, StringComparison.Ordinal);
        Assert.Contains("python.requirements: requirements.txt is not a file of the release; commit it (or put it in the upload), or correct python.requirements", deploy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("-- python: pip install", deploy.Stdout, StringComparison.Ordinal);
        Assert.Empty(project.Releases());
    }
}
