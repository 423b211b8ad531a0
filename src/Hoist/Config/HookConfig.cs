namespace Hoist.Config;

/// <summary>
/// One hook: a shell command run here (<c>local:</c>, in hoist.yml's folder) or on the run's hosts (<c>remote:</c>, in
/// the release folder; on the first host only with <c>once</c>). <paramref name="Path"/> names it in messages.
/// </summary>
internal sealed record HookConfig(bool Remote, string Command, bool Once, string Path)
{
    /// <summary>How the hook reads in a plan or a message: <c>hooks.before_switch[0] (remote, once): CMD</c>.</summary>
    public string Describe() => $"{Path} ({(Remote ? Once ? "remote, once" : "remote" : "local")}): {Command}";
}
