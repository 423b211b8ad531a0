namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>Reads <c>python:</c>, the release's virtualenv: <c>{ venv: true, requirements: requirements.txt, system_site_packages: false }</c>.</summary>
internal static class PythonReader
{
    public static readonly IReadOnlyList<string> Keys = ["venv", "requirements", "system_site_packages"];

    public static PythonConfig? Read(NodeReader reader, YamlNode? node)
    {
        var map = node is null || Nodes.IsNull(node)
            ? null
            : reader.Mapping(node, "python", "a mapping such as { venv: true, requirements: requirements.txt }", Keys);
        if (map is null)
        {
            return null;
        }

        var errors = reader.Errors.Count;
        var venvNode = Nodes.Optional(map, "venv");
        var venv = venvNode is null ? false : reader.Boolean(venvNode, "python.venv") ?? false;
        var site = Nodes.Optional(map, "system_site_packages") is { } siteNode ? reader.Boolean(siteNode, "python.system_site_packages") : null;
        var requirementsNode = Nodes.Optional(map, "requirements");
        var requirements = requirementsNode is null ? null : Requirements(reader, requirementsNode);
        if (!venv)
        {
            // Without a venv there is nowhere to install into, and nothing would say so: refused rather than ignored.
            foreach (var (name, key, _) in Nodes.Entries(map).Where(e => e.Name is "requirements" or "system_site_packages" && !Nodes.IsNull(e.Value)))
            {
                reader.Error(key, NodePath.Child("python", name), $"python.{name} applies to the release's virtualenv, and python.venv is not true; add venv: true to python:, or remove {name}");
            }
        }

        return reader.Errors.Count > errors ? null : new PythonConfig(venv, requirements, site ?? false);
    }

    /// <summary>A file of the release: pip reads it there, so it is a clean relative path that stays inside.</summary>
    private static string? Requirements(NodeReader reader, YamlNode node)
    {
        var text = reader.Text(node, "python.requirements", "a file of the release, such as requirements.txt");
        if (text is null)
        {
            return null;
        }

        var segments = text.Value.Split('/');
        string? problem = text.Value.StartsWith('/') || text.Value.StartsWith('~')
            ? $"must be relative to the release (the repository's root); did you mean '{text.Value.TrimStart('~', '/')}'?"
            : text.Value.Length == 0 || segments.Any(s => s is "" or ".")
                ? "is not a clean relative path; write it like requirements.txt or requirements/prod.txt"
                : segments.Contains("..") ? "must not contain '..'; the requirements file is one of the release's" : null;
        if (problem is not null)
        {
            reader.Error(node, "python.requirements", $"{text.Quoted} {problem}");
            return null;
        }

        return text.Value;
    }
}
