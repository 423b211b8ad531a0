namespace Hoist.Check;

using Hoist.Config;
using Hoist.Core;
using Hoist.Deploy;
using Hoist.Shell;

/// <summary>
/// Checks that every host is reachable and trusted and has what its roles need: a host that gets releases has bash,
/// tar (and git where it clones; with fetch: local the repository is read on this machine instead) and a writable deploy_to; a host only in the db role (PostgreSQL's, made by hoist
/// setup) or the lb role (nginx, made by hoist setup) needs bash and tar, and nothing is made there.
/// </summary>
internal sealed class Checker(RunContext context)
{
    public async Task<int> CheckAsync(IReadOnlyList<HostConfig> hosts, CancellationToken cancel)
    {
        var config = context.Config;
        context.Reporter.Info($"config {config.Files}: ok ({(config.Destination is { } name ? $"destination {name}, " : "")}{hosts.Count} host(s))");
        foreach (var skipped in context.HostKeys.Skipped)
        {
            context.Reporter.Warn($"known_hosts line skipped: {skipped}");
        }

        var localOk = config.Source is not LocalGitSource local || await CheckLocalAsync(local, cancel).ConfigureAwait(false);
        await using var fleet = await context.ConnectAsync(hosts, cancel).ConfigureAwait(false);
        foreach (var recorded in context.HostKeys.Recorded)
        {
            context.Reporter.Info(recorded);
        }

        var runs = await fleet.RunAsync(h => Build(config, h), null, quiet: true, cancel).ConfigureAwait(false);
        foreach (var run in runs)
        {
            var done = !config.GetsReleases(run.Host) ? $"reachable, trusted ({NoReleaseRoles(config, run.Host)} only: no releases)"
                : CheckReport.Read(run).DeployToMissing ? $"reachable, trusted, {config.DeployTo} not made yet (hoist setup makes it)"
                : $"reachable, trusted, {config.DeployTo} writable";
            context.Reporter.HostDone(run.Host, run.Ok, run.Ok ? done : string.Join("; ", run.Output.DefaultIfEmpty($"exit {run.ExitCode}")));
        }

        return runs.All(r => r.Ok) && localOk ? 0 : 1;
    }

    /// <summary>
    /// fetch: local reads the repository here, as a deploy does (a URL is fetched into hoist's cache), and no host is
    /// asked to: they need neither git nor access to it.
    /// </summary>
    private async Task<bool> CheckLocalAsync(LocalGitSource local, CancellationToken cancel)
    {
        try
        {
            var commit = await LocalRepo.ResolveAsync(local, cancel).ConfigureAwait(false);
            context.Reporter.Info($"repo {commit.Repo}: branch '{commit.Branch}' is {Revision.Short(commit.Commit)} on this machine (fetch: local; the hosts need no git or access to it)");
            return true;
        }
        catch (HoistException e)
        {
            context.Reporter.Info($"[this machine] FAILED: {e.Message}");
            return false;
        }
    }

    /// <summary>The roles of a host that gets no releases (db, lb), as "db" or "db and lb".</summary>
    private static string NoReleaseRoles(HoistConfig config, HostConfig host) =>
        string.Join(" and ", config.Roles.Where(r => r.Hosts.Any(h => h.Key == host.Key)).Select(r => r.Name));

    public static Script Build(HoistConfig config, HostConfig host)
    {
        var releases = config.GetsReleases(host);
        var clones = releases && config.Source is GitSource;
        var script = new ScriptBuilder("check");
        if (releases)
        {
            script.Line(DeployPaths.AssignRoot(config.DeployTo));
        }

        script.Raw("problems=0")
            .Raw("for t in bash tar; do if ! command -v \"$t\" >/dev/null 2>&1; then echo \"$t is not installed\"; problems=1; fi; done");
        if (clones)
        {
            var fix = config.Setup is null ? "install it (Debian: apt-get install git)" : "hoist setup installs it";
            script.Raw($"if ! command -v git >/dev/null 2>&1; then echo {ShellQuote.Quote($"git is not installed; {fix}")}; problems=1; fi");
        }

        if (!releases)
        {
            return script.Raw("exit \"$problems\"").Build();
        }

        if (config.Python is { Venv: true })
        {
            // What each deploy's venv step needs: told now rather than by the first deploy's prepare.
            var fix = config.Setup is null ? $"install it (Debian: apt-get install {PythonConfig.VenvPackage})" : "hoist setup installs it";
            script.Raw($"if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then echo {ShellQuote.Quote($"python.venv: python3 with its venv module ({PythonConfig.VenvPackage}) is not installed; {fix}")}; problems=1; fi");
        }

        // Before the writable test, which makes .hoist: nothing is written into a deploy_to that others control.
        DeployToOwnership.Report(script);
        var notWritable = $"[ \"$owned\" = 1 ] && ! {{ mkdir -p {DeployPaths.State} && touch {DeployPaths.State}/.check && rm -f {DeployPaths.State}/.check; }} 2>/dev/null";
        // With setup:, a deploy_to that does not exist yet is setup's to make (owned by the login user): not made here.
        if (config.Setup is not null)
        {
            script.Raw(ReportKey.AssignPrefix)
                .Raw($"if [ ! -e \"$D\" ]; then {CheckReport.EchoDeployToMissing()}")
                .Raw($"elif {notWritable}; then");
        }
        else
        {
            script.Raw($"if {notWritable}; then");
        }

        script.Raw("  echo \"$D is not writable by $(id -un)\"; problems=1")
            .Raw("fi");
        if (config.Source is GitSource git)
        {
            // The repository as deploy reaches it (GitRemote), so a value deploy cannot use is not reported as ok.
            script.Line(GitRemote.Assign(git))
                .Raw($"if command -v git >/dev/null 2>&1 && ! git_error=$(git ls-remote --exit-code -- {GitRemote.Url} {ShellQuote.Quote(git.Branch)} 2>&1 >/dev/null); then")
                .Raw($"  echo {ShellQuote.Quote($"cannot read branch '{git.Branch}' of {git.Repo} from this host")}\"${{git_error:+: $git_error}}\"; problems=1")
                .Raw("fi");
        }

        return script.Raw("exit \"$problems\"").Build();
    }
}
