namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads <c>setup.secrets</c>: names of values setup generates once on the web hosts (shared/.env), unlike the
/// top-level <c>secrets:</c>, whose values the deploying machine gives; a name in both, or in <c>env:</c>, would have
/// two values, so it is an error.
/// </summary>
internal static class SetupSecretsReader
{
    /// <summary>Names setup writes itself, from setup.database.</summary>
    private static readonly string[] Managed = ["DATABASE_URL", "MIGRATE_DATABASE_URL"];

    public static IReadOnlyList<string> Read(NodeReader reader, YamlNode? node, IReadOnlyList<SecretName> configSecrets, IReadOnlyList<EnvVar> env)
    {
        var names = new List<string>();
        foreach (var (item, path) in node is null ? [] : reader.Items(node, "setup.secrets", "a list of variable names such as [SECRET_KEY]"))
        {
            var text = reader.Text(item, path, "a variable name");
            if (text is null)
            {
                continue;
            }

            var name = text.Value;
            string? problem = !EnvReader.VariableName().IsMatch(name)
                ? $"{text.Quoted} is not a valid variable name; use letters, digits and '_', not starting with a digit"
                : names.Contains(name)
                ? $"{name} is listed twice; remove one"
                : Managed.Contains(name)
                ? $"{name} is written by setup from setup.database; remove it from setup.secrets"
                : name.StartsWith("HOIST_", StringComparison.Ordinal)
                ? $"{name}: HOIST_ names are hoist serve's own; choose another name"
                : configSecrets.Any(s => s.Name == name)
                ? $"{name} is also under the top-level secrets:, whose value this machine gives at each deploy; setup.secrets are generated on the web hosts instead. " +
                  $"Keep it in one: remove it from secrets: (and env:) to have setup generate it, or from setup.secrets to give it yourself"
                : env.Any(e => e.Name == name)
                ? $"{name} is also set under env:, which the deploy's commands get; setup.secrets are generated into the web hosts' shared/.env for the app. Remove it from one of them"
                : null;
            if (problem is not null)
            {
                reader.Error(item, path, problem);
            }
            else
            {
                names.Add(name);
            }
        }

        return names;
    }
}
