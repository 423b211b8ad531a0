namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Support;

/// <summary>
/// A deploy folder as `hoist deploy` leaves it: releases/&lt;id&gt; (each with a REVISION file), shared/, and a
/// `current` link switched atomically (a new link renamed over the old one).
/// </summary>
internal sealed class ReleaseLayout(string root)
{
    private int switches;

    public string Root { get; } = root;

    public string Current => Path.Combine(Root, "current");

    public string Shared => Path.Combine(Root, "shared");

    public string Release(string id) => Path.Combine(Root, "releases", id);

    /// <summary>Copies a published app into releases/<paramref name="id"/> with REVISION <c>rev-ID</c>.</summary>
    public async Task<string> AddReleaseAsync(string id, string publishedApp)
    {
        var release = Release(id);
        Directory.CreateDirectory(Path.GetDirectoryName(release)!);
        await Run.ShellAsync($"cp -a '{publishedApp}' '{release}'");
        await File.WriteAllTextAsync(Path.Combine(release, "REVISION"), $"rev-{id}\n");
        return release;
    }

    /// <summary>Points `current` at releases/<paramref name="id"/> as hoist deploy does: a new link renamed over it, so it is never missing.</summary>
    public async Task SwitchAsync(string id)
    {
        var temp = $".current-{++switches}";
        await Run.ShellAsync($"ln -s 'releases/{id}' '{temp}' && mv -T '{temp}' current", Root);
        Assert.Equal(Path.Combine("releases", id), new FileInfo(Current).LinkTarget);
    }
}
