namespace Hoist.Tests.Support;

/// <summary>A bare git repository with a work tree to commit from, like a project's origin.</summary>
public sealed class Repo
{
    private Repo(string bare, string work) => (Bare, Work) = (bare, work);

    public string Bare { get; }

    public string Work { get; }

    public static async Task<Repo> CreateAsync(TempDir dir, string name = "app")
    {
        var bare = dir.Combine(name + ".git");
        var work = dir.Combine(name + "-work");
        await Run.ShellAsync($"git init -q --bare -b main {bare} && git init -q -b main {work} && " +
            $"cd {work} && git config user.email t@example.com && git config user.name test && git remote add origin {bare}");
        return new Repo(bare, work);
    }

    /// <summary>Writes files and pushes a commit to main; returns its sha.</summary>
    public async Task<string> CommitAsync(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(Work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }

        await Run.ShellAsync($"git add -A && git commit -q -m '{message.Replace("'", "'\\''", StringComparison.Ordinal)}' && git push -q origin main", Work);
        return (await Run.ShellAsync("git rev-parse HEAD", Work)).Trim();
    }
}
