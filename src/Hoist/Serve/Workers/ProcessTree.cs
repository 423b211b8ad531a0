namespace Hoist.Serve.Workers;

/// <summary>Resident memory of a process and all its descendants, read from /proc.</summary>
internal static class ProcessTree
{
    public static long RssBytes(int pid)
    {
        long total = 0;
        var pending = new Stack<int>([pid]);
        var seen = new HashSet<int>();
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            total += OwnRss(current);
            foreach (var child in Children(current))
            {
                pending.Push(child);
            }
        }

        return total;
    }

    public static long OwnRss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
            return long.TryParse(kib, out var value) ? value * 1024 : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            yield break;
        }

        foreach (var task in tasks)
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (IOException)
            {
                continue;
            }

            foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, out var child))
                {
                    yield return child;
                }
            }
        }
    }
}
