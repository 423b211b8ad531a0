namespace Hoist.Tests.Support;

/// <summary>
/// A small tmpfs mounted on a test's folder: a real file system that fills up (ENOSPC) after a few hundred KiB,
/// unmounted when the test ends.
/// </summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts it; <paramref name="inodes"/>, when given, bounds the files it can hold (ENOSPC past that, however much space is left).</summary>
    public static async Task<TmpfsMount> MountAsync(string path, string size, int? inodes = null)
    {
        Directory.CreateDirectory(path);
        await Run.ShellAsync($"mount -t tmpfs -o size={size},mode=0700{(inodes is { } n ? $",nr_inodes={n}" : "")} tmpfs '{path}'");
        return new TmpfsMount(path);
    }

    /// <summary>Fills what is left of it with a file, <paramref name="name"/>, whose removal frees the space again.</summary>
    public Task FillAsync(string name) =>
        Run.ShellAsync($"cat /dev/zero > '{System.IO.Path.Combine(Path, name)}' 2>/dev/null; true");

    /// <summary>Fills it as <see cref="FillAsync(string)"/> does, then gives back <paramref name="leaveKiB"/> KiB of it.</summary>
    public Task FillAsync(string name, int leaveKiB) =>
        Run.ShellAsync($"cat /dev/zero > '{System.IO.Path.Combine(Path, name)}' 2>/dev/null; truncate -s -{leaveKiB}K '{System.IO.Path.Combine(Path, name)}'");

    /// <summary>KiB still free, as df sees it.</summary>
    public async Task<long> FreeKiBAsync() =>
        long.Parse((await Run.ShellAsync($"df --output=avail -k '{Path}' | tail -n 1")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        // Lazily, should a process the test started still hold a file there: the mount must not outlive the test.
        await Run.ProcessAsync("umount", ["-l", Path]);
    }
}
