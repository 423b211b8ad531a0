namespace Hoist.Tests.Integration.Serve;

/// <summary>What a test reads of another process in /proc: alive or not, its threads, open files and memory.</summary>
internal static class ProcView
{
    /// <summary>True while the process runs: it exists and is not a zombie waiting for its parent to reap it.</summary>
    public static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The ids of the process's threads named <paramref name="name"/> (their comm, e.g. ".NET TP Worker").</summary>
    public static HashSet<int> Threads(int pid, string name)
    {
        var found = new HashSet<int>();
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            return found;
        }

        foreach (var task in tasks)
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == name && int.TryParse(Path.GetFileName(task), out var tid))
                {
                    found.Add(tid);
                }
            }
            catch (IOException)
            {
                // The thread exited while we looked.
            }
        }

        return found;
    }

    public static int OpenFiles(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    /// <summary>The open files by kind ("pipe", "socket", "anon_inode", "/path" for files), e.g. "pipe 12, socket 9".</summary>
    public static string OpenFileKinds(int pid) => string.Join(", ", Directory.GetFileSystemEntries($"/proc/{pid}/fd")
        .Select(fd =>
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget ?? "?";
                return target.StartsWith('/') ? "file" : target.Split(':')[0];
            }
            catch (IOException)
            {
                return "gone";
            }
        })
        .GroupBy(kind => kind)
        .OrderByDescending(g => g.Count())
        .Select(g => $"{g.Key} {g.Count()}"));

    /// <summary>VmRSS from /proc/PID/status, in KiB.</summary>
    public static long RssKiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
