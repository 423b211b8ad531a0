namespace Hoist.Deploy;

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hoist.Config;
using Hoist.Core;

/// <summary>
/// Resolves <c>fetch: local</c>'s branch to one commit on the deploying machine: a path is read where it is; a URL is
/// fetched (every branch and tag, pruned) into a bare repository of hoist's own, <c>~/.cache/hoist/repos/HASH.git</c>,
/// kept between deploys so that each fetch brings only what is new. Nothing here touches a host, so every failure
/// leaves them all as they were.
/// </summary>
/// <remarks>
/// The URL reaches git through GIT_CONFIG_KEY/VALUE (as <c>remote.origin.url</c>) rather than argv, so a password in it
/// is in no process's command line, and it is not written into the cache's config either.
/// </remarks>
internal static class LocalRepo
{
    private const string NothingChanged = "nothing was changed on any host";

    public static async Task<LocalCommit> ResolveAsync(LocalGitSource source, CancellationToken cancel)
    {
        var where = source.Repo.StartsWith('/')
            ? await OpenPathAsync(source, cancel).ConfigureAwait(false)
            : await FetchAsync(source, cancel).ConfigureAwait(false);
        var rev = await LocalGit.RunAsync([.. where, "rev-parse", "--verify", "--quiet", source.Branch + "^{commit}"], cancel).ConfigureAwait(false);
        if (!rev.Ok || rev.Output.Trim().Length == 0)
        {
            throw new HoistException($"branch '{source.Branch}' was not found in {source.Repo} (read on this machine, fetch: local); " +
                $"push it there, or fix branch: in hoist.yml; {NothingChanged}");
        }

        var commit = rev.Output.Trim();
        var tree = await LocalGit.RunAsync([.. where, "ls-tree", "-r", "-l", "-z", "--full-tree", commit], cancel).ConfigureAwait(false);
        if (!tree.Ok)
        {
            throw new HoistException($"cannot list commit {commit} of {source.Repo} on this machine{tree.Said}; {NothingChanged}");
        }

        var (files, bytes, submodules) = Count(tree.Output);
        return new LocalCommit(source.Repo, source.Branch, where, commit, files, bytes, submodules);
    }

    /// <summary>Where a URL's copy is kept: under XDG_CACHE_HOME (else ~/.cache), named by a hash of the URL.</summary>
    public static string CacheFolder(string url, IReadOnlyDictionary<string, string?> environment)
    {
        var cache = environment.GetValueOrDefault("XDG_CACHE_HOME") is { Length: > 0 } xdg && xdg.StartsWith('/')
            ? xdg
            : Path.Join(environment.GetValueOrDefault("HOME") is { Length: > 0 } home ? home
                : throw new HoistException("fetch: local keeps a copy of the repository in ~/.cache/hoist, and HOME is not set; set HOME (or XDG_CACHE_HOME)"), ".cache");
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..16];
        return Path.Join(cache, "hoist", "repos", name + ".git");
    }

    /// <summary>Files, their bytes and the submodules, from <c>ls-tree -r -l -z</c>: "MODE TYPE SHA SIZE\tPATH\0".</summary>
    public static (int Files, long Bytes, IReadOnlyList<string> Submodules) Count(string listing)
    {
        var (files, bytes, submodules) = (0, 0L, new List<string>());
        foreach (var entry in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = entry.IndexOf('\t', StringComparison.Ordinal);
            var fields = entry[..Math.Max(tab, 0)].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is [_, "commit", ..])
            {
                submodules.Add(entry[(tab + 1)..]);
            }
            else if (fields is [_, "blob", _, var size])
            {
                files++;
                bytes += long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            }
        }

        return (files, bytes, submodules);
    }

    private static async Task<string[]> OpenPathAsync(LocalGitSource source, CancellationToken cancel)
    {
        string[] where = ["-C", source.Repo];
        var check = await LocalGit.RunAsync([.. where, "rev-parse", "--git-dir"], cancel).ConfigureAwait(false);
        if (!check.Ok)
        {
            throw new HoistException($"cannot read the repository {source.Repo} on this machine (fetch: local reads a path here, not on the hosts){check.Said}; " +
                $"fix repo: in hoist.yml to a git repository on this machine; {NothingChanged}");
        }

        return where;
    }

    /// <summary>
    /// Fetches into the cache; a first fetch goes into a bare repository of its own, renamed into place only once it
    /// worked, so an unreachable URL or a killed first fetch leaves no empty or half-made cache behind.
    /// </summary>
    private static async Task<string[]> FetchAsync(LocalGitSource source, CancellationToken cancel)
    {
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>().ToDictionary(k => k, Environment.GetEnvironmentVariable);
        var folder = CacheFolder(source.Repo, environment);
        if (Directory.Exists(folder))
        {
            await FetchIntoAsync(folder, source, cancel).ConfigureAwait(false);
            return ["--git-dir", folder];
        }

        var fresh = await CreateAsync(folder, cancel).ConfigureAwait(false);
        try
        {
            await FetchIntoAsync(fresh, source, cancel).ConfigureAwait(false);
            Directory.Move(fresh, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another run made it first: its copy serves as well.
        }
        finally
        {
            if (Directory.Exists(fresh))
            {
                Directory.Delete(fresh, recursive: true);
            }
        }

        return ["--git-dir", folder];
    }

    private static async Task FetchIntoAsync(string folder, LocalGitSource source, CancellationToken cancel)
    {
        var fetch = await LocalGit.RunAsync(
            ["--git-dir", folder, "fetch", "--quiet", "--prune", "--no-tags", "origin", "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
            cancel, extra: UrlConfig(source.Repo)).ConfigureAwait(false);
        if (!fetch.Ok)
        {
            throw new HoistException($"cannot fetch {source.Repo} on this machine (fetch: local){fetch.Said}; " +
                $"check that this machine can read it (git ls-remote {source.Repo}) with the keys or credentials git uses here; {NothingChanged}");
        }
    }

    /// <summary>An empty bare repository beside the cache's place (its parent made 0700 when missing); returns its path.</summary>
    private static async Task<string> CreateAsync(string folder, CancellationToken cancel)
    {
        var parent = Path.GetDirectoryName(folder)!;
        try
        {
            Directory.CreateDirectory(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HoistException($"cannot make hoist's repository cache {parent}: {e.Message}; make it writable by you (or set XDG_CACHE_HOME); {NothingChanged}");
        }

        var fresh = $"{folder}.new-{Environment.ProcessId}";
        if (Directory.Exists(fresh))
        {
            Directory.Delete(fresh, recursive: true); // left by a killed run that had this pid
        }

        var init = await LocalGit.RunAsync(["init", "--quiet", "--bare", fresh], cancel).ConfigureAwait(false);
        if (!init.Ok)
        {
            throw new HoistException($"cannot make hoist's repository cache {fresh}{init.Said}; {NothingChanged}");
        }

        return fresh;
    }

    /// <summary>remote.origin.url as git's environment config, after any the user's environment already sets.</summary>
    private static Dictionary<string, string> UrlConfig(string url)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("GIT_CONFIG_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return new Dictionary<string, string>
        {
            ["GIT_CONFIG_COUNT"] = (count + 1).ToString(CultureInfo.InvariantCulture),
            [$"GIT_CONFIG_KEY_{count}"] = "remote.origin.url",
            [$"GIT_CONFIG_VALUE_{count}"] = url,
        };
    }
}
