namespace Hoist.Check;

using Hoist.Config;
using Hoist.Core;
using Hoist.Deploy;
using Hoist.Shell;

/// <summary>Checks that every host is reachable and trusted, has the tools a deploy needs, and that deploy_to is writable.</summary>
internal sealed class Checker(RunContext context)
{
    public async Task<int> CheckAsync(IReadOnlyList<HostConfig> hosts, CancellationToken cancel)
    {
        context.Reporter.Info($"config {context.Config.ConfigPath}: ok ({hosts.Count} host(s))");
        await using var fleet = await context.ConnectAsync(hosts, cancel).ConfigureAwait(false);
        foreach (var recorded in context.HostKeys.Recorded)
        {
            context.Reporter.Info(recorded);
        }

        var runs = await fleet.RunAsync(_ => Build(context.Config), null, quiet: true, cancel).ConfigureAwait(false);
        foreach (var run in runs)
        {
            context.Reporter.HostDone(run.Host, run.Ok, run.Ok
                ? $"reachable, trusted, {context.Config.DeployTo} writable"
                : string.Join("; ", run.Output.DefaultIfEmpty($"exit {run.ExitCode}")));
        }

        return runs.All(r => r.Ok) ? 0 : 1;
    }

    public static Script Build(HoistConfig config)
    {
        var tools = config.Source is GitSource ? "bash tar git" : "bash tar";
        var script = new ScriptBuilder("check").Line(DeployPaths.AssignRoot(config.DeployTo))
            .Raw("problems=0")
            .Raw($"for t in {tools}; do if ! command -v \"$t\" >/dev/null 2>&1; then echo \"$t is not installed\"; problems=1; fi; done")
            .Raw($"if ! {{ mkdir -p {DeployPaths.State} && touch {DeployPaths.State}/.check && rm -f {DeployPaths.State}/.check; }} 2>/dev/null; then")
            .Raw($"  echo \"$D is not writable by $(id -un)\"; problems=1")
            .Raw("fi");
        if (config.Source is GitSource git)
        {
            script.Raw($"if command -v git >/dev/null 2>&1 && ! git ls-remote --exit-code {ShellQuote.Quote(git.Repo)} {ShellQuote.Quote(git.Branch)} >/dev/null 2>&1; then")
                .Raw($"  echo {ShellQuote.Quote($"cannot read branch '{git.Branch}' of {git.Repo} from this host")}; problems=1")
                .Raw("fi");
        }

        return script.Raw("exit \"$problems\"").Build();
    }
}
