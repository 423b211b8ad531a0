namespace Hoist.Exec;

using Hoist.Config;
using Hoist.Core;
using Hoist.Deploy;
using Hoist.Shell;

/// <summary>Runs one shell command on hosts in parallel (Fabric's <c>run</c>), in the live release when there is one.</summary>
internal sealed class Executor(RunContext context)
{
    public async Task<int> RunAsync(IReadOnlyList<HostConfig> hosts, string command, bool dryRun, CancellationToken cancel)
    {
        var script = Build(context.Config, command);
        if (dryRun)
        {
            return DryRun.Print(context, hosts, script);
        }

        await using var fleet = await context.ConnectAsync(hosts, cancel).ConfigureAwait(false);
        var runs = await context.Reporter.TrackAsync("exec", hosts, () => fleet.RunAsync(_ => script, null, quiet: false, cancel)).ConfigureAwait(false);
        var failed = runs.Where(r => !r.Ok).ToList();
        foreach (var run in failed)
        {
            context.Reporter.HostDone(run.Host, false, $"exit {run.ExitCode}");
        }

        if (failed.Count > 0)
        {
            throw new HoistException($"the command failed on {failed.Count} of {runs.Count} host(s): {string.Join(", ", failed.Select(r => $"{r.Host.Display} (exit {r.ExitCode})"))}");
        }

        return 0;
    }

    public static Script Build(HoistConfig config, string command)
    {
        var script = new ScriptBuilder("exec").Line(DeployPaths.AssignRoot(config.DeployTo));
        HostSecrets.Report(script, config)
            .Raw($"if [ -d {DeployPaths.Current} ]; then dir={DeployPaths.Current}; else dir=\"$HOME\"; fi");
        UserCommand.Add(script, "\"$dir\"", config.Env, command);
        return script.Build();
    }
}
