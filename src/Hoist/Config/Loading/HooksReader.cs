namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads <c>hooks:</c>: a mapping of phase to a list of hooks, each <c>- local: CMD</c> or <c>- remote: CMD</c>
/// (with <c>once: true</c> for the first host only). Every problem is reported, none stops the others.
/// </summary>
internal static class HooksReader
{
    private const string Example = "'- local: ./notify.sh' or '- remote: systemctl restart worker'";

    private static readonly string[] HookKeys = ["local", "remote", "once"];

    public static HooksConfig Read(NodeReader reader, YamlNode? node)
    {
        var phases = new Dictionary<HookPhase, IReadOnlyList<HookConfig>>();
        var names = HooksConfig.Names.Select(n => n.Name).ToList();
        if (node is null || reader.Mapping(node, "hooks", "a mapping of phases (before_switch: [...], after_deploy: [...])", names) is not { } map)
        {
            return new HooksConfig(phases);
        }

        foreach (var (name, _, value) in Nodes.Entries(map))
        {
            var phase = HooksConfig.Names.FirstOrDefault(n => n.Name == name);
            if (phase.Name is null)
            {
                continue; // reported by Mapping, with its "did you mean"
            }

            var path = NodePath.Child("hooks", name);
            var hooks = new List<HookConfig>();
            foreach (var (item, itemPath) in Nodes.IsNull(value) ? [] : reader.Items(value, path, $"a list of hooks such as {Example}"))
            {
                if (ReadHook(reader, item, itemPath) is { } hook)
                {
                    hooks.Add(hook);
                }
            }

            phases[phase.Phase] = hooks;
        }

        return new HooksConfig(phases);
    }

    private static HookConfig? ReadHook(NodeReader reader, YamlNode item, string path)
    {
        if (item is not YamlMappingNode)
        {
            reader.Error(item, path, $"a hook runs here or on the hosts: write {Example}, not {Nodes.Describe(item)}");
            return null;
        }

        var map = reader.Mapping(item, path, "a hook", HookKeys)!;
        var (local, remote) = (Nodes.Find(map, "local"), Nodes.Find(map, "remote"));
        if ((local is null) == (remote is null))
        {
            reader.Error(item, path, local is null
                ? $"a hook needs 'local' (run on this machine) or 'remote' (run on the hosts); write {Example}"
                : "a hook is either 'local' or 'remote', not both; make them two hooks");
            return null;
        }

        var isRemote = remote is not null;
        var key = isRemote ? "remote" : "local";
        var commandNode = (local ?? remote)!.Value.Value;
        var commandPath = NodePath.Child(path, key);
        var once = false;
        if (Nodes.Find(map, "once") is { } onceEntry)
        {
            if (!isRemote)
            {
                reader.Error(onceEntry.Key, NodePath.Child(path, "once"), "'once' is for remote hooks (run on the first host only); a local hook runs once already, remove it");
                return null;
            }

            once = reader.Boolean(onceEntry.Value, NodePath.Child(path, "once")) ?? false;
        }

        var text = reader.Text(commandNode, commandPath, "a shell command");
        if (text is null)
        {
            return null;
        }

        if (text.Value.Trim().Length == 0)
        {
            reader.Error(commandNode, commandPath, "empty command; write the command to run, or remove the hook");
            return null;
        }

        if (ShellSyntax.Problem(text.Value) is { } problem)
        {
            reader.Error(commandNode, commandPath, $"shell syntax error in '{text.Value}': {problem}");
            return null;
        }

        return new HookConfig(isRemote, text.Value, once, path);
    }
}
